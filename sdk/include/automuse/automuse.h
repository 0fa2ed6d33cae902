/* automuse/automuse.h — includes the whole C SDK: every header of sdk/include/automuse. */
#ifndef AUTOMUSE_AUTOMUSE_H
#define AUTOMUSE_AUTOMUSE_H

#include "automuse/version.h"
#include "automuse/types.h"
#include "automuse/host.h"
#include "automuse/plugin.h"
#include "automuse/args.h"
#include "automuse/log.h"
#include "automuse/job.h"
#include "automuse/config.h"
#include "automuse/store.h"
#include "automuse/cache.h"
#include "automuse/http.h"
#include "automuse/oauth.h"
#include "automuse/llm.h"
#include "automuse/speech.h"
#include "automuse/images.h"
#include "automuse/render.h"
#include "automuse/publish.h"

#endif /* AUTOMUSE_AUTOMUSE_H */
