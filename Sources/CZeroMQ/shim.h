#ifndef CZEROMQ_SHIM_H
#define CZEROMQ_SHIM_H
#include <zmq.h>
#include <errno.h>

/* Swift cannot import macros built from other macros on every toolchain. */
static inline int czmq_eterm(void) { return ETERM; }
static inline int czmq_eagain(void) { return EAGAIN; }
static inline int czmq_eintr(void) { return EINTR; }
#endif
