/* The runner of a build without inference: every load and invoke fails with FP_ERR_NO_RUNNER,
 * and HELLO lists no operators. The int8 runner (issue 13, item 3) replaces it. */
#ifndef FP_RUNNER_NONE_H
#define FP_RUNNER_NONE_H

#include "fp_port.h"

const fp_runner_port *fp_runner_none(void);

#endif
