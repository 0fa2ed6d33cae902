/* tests/sdk/test_timer.h — "test.timer/1", a TEST-ONLY asynchronous host service shaped like
 * the real ones: start returns an op id, the completion arrives later from the service's own
 * thread (through the job, so the callback runs on the job's executor), exactly once, also
 * when cancelled (AM_CANCELLED). It lets the coroutine layer be tested against real
 * cross-thread completions without any network. */
#ifndef AUTOMUSE_TESTS_SDK_TEST_TIMER_H
#define AUTOMUSE_TESTS_SDK_TEST_TIMER_H

#include <automuse/job.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TEST_TIMER_SERVICE_ID "test.timer/1"

typedef struct test_timer {
  uint32_t struct_size;
  void *impl; /* the service object behind this table */

  /* After `milliseconds`, complete with `status` (error text "timer failed: <name>" when
   * status is not AM_OK) by calling done(user, ...) on the job's executor. Cancelled
   * first: done(user, AM_CANCELLED, "cancelled"). Never calls done before returning. Any
   * thread. */
  am_op_id (*start)(const struct test_timer *self, am_job *job, uint64_t milliseconds,
                    am_status status, am_done_fn done, void *user);

  /* Cancel one op; a no-op for finished or unknown ids. Any thread. */
  void (*cancel)(const struct test_timer *self, am_job *job, am_op_id op);
} test_timer;

#ifdef __cplusplus
}
#endif

#endif /* AUTOMUSE_TESTS_SDK_TEST_TIMER_H */
