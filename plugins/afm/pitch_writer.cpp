// plugins/afm/pitch_writer.cpp — ask, check, re-ask, and only then cut.
#include "pitch_writer.hpp"

#include <automuse/cpp/error.hpp>
#include <automuse/cpp/llm.hpp>
#include <automuse/cpp/publish.hpp>
#include <vector>

#include "pitch_check.hpp"

namespace afm {

am::task<Pitch> write_pitch(am::job job, PitchRequest r) {
  am::llm llm(job.host_ref());
  const am::publisher_client publish(job.host_ref());
  const Measure measure = [&](const std::string &text) {
    const am::text_length n = publish.measure(r.publisher, text);
    return Measured{n.length, n.links};
  };
  const int budget = body_budget(r.max_length, r.disclosure, r.link, measure);
  if (budget < 40)
    throw am::error(AM_INVALID_ARGUMENT,
                    "the disclosure '" + r.disclosure + "' and the link leave no room for a pitch");
  Prompt prompt = pitch_prompt(r.facts, r.notes, r.language, budget, r.publisher);
  std::vector<am::llm_message> messages{{"system", prompt.system}, {"user", prompt.user}};
  am::llm_params params;
  params.account_id = r.account_id;
  params.temperature = 0.7;
  params.max_tokens = 300;

  Pitch out;
  std::string body, problem;
  for (int attempt = 0; attempt <= r.rewrites; ++attempt) {
    auto chat = llm.chat(job, messages, params);  // named: g++ 12 and awaiter temporaries
    am::llm_answer answer = co_await chat;
    ++out.drafts;
    body = clean_answer(answer.content);
    auto trouble = problem_with(body, r.facts, budget, measure);
    if (!trouble) {
      problem.clear();
      break;
    }
    problem = *trouble;
    job.log().info("pitch draft " + std::to_string(out.drafts) + " for " + r.facts.asin +
                   " refused: " + problem);
    messages.push_back({"assistant", answer.content});
    messages.push_back({"user", "That pitch cannot be used. " + problem +
                                    " Write it again, following every rule. Answer with the "
                                    "pitch only."});
  }
  if (!problem.empty()) {
    if (!only_too_long(body, r.facts, measure))
      throw am::error(AM_ERROR, "the LLM's pitch for " + r.facts.asin +
                                    " still breaks the rules after " + std::to_string(out.drafts) +
                                    " drafts: " + problem + " Nothing was shared.");
    body = publish.fit_text(r.publisher, body, budget);
    out.cut = true;
    job.log().warn("pitch for " + r.facts.asin + " cut to fit " + std::to_string(budget));
  }
  out.body = body;
  out.text = compose(body, r.disclosure, r.link);
  out.length = measure(out.text).length;
  co_return out;
}

}  // namespace afm
