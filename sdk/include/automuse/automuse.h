/* automuse/automuse.h — includes the whole C SDK. */
#ifndef AUTOMUSE_AUTOMUSE_H
#define AUTOMUSE_AUTOMUSE_H

#include "automuse/version.h"
#include "automuse/types.h"
#include "automuse/host.h"
#include "automuse/plugin.h"
#include "automuse/log.h"
#include "automuse/job.h"
#include "automuse/config.h"
#include "automuse/http.h"
#include "automuse/llm.h"
#include "automuse/render.h"

#endif /* AUTOMUSE_AUTOMUSE_H */
