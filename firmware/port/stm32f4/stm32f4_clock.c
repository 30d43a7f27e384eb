/* SysTick on the core clock, one interrupt per millisecond. */
#include "stm32f4_board.h"
#include "stm32f4_regs.h"

#define TICKS_PER_MS (FP_STM32_HCLK_HZ / 1000u)

static volatile uint64_t milliseconds;

void fp_stm32_systick_irq(void) { milliseconds++; }

void fp_stm32_clock_init(void) {
  SYST_RVR = TICKS_PER_MS - 1u;
  SYST_CVR = 0;
  SYST_CSR = SYST_CSR_CLKSOURCE | SYST_CSR_TICKINT | SYST_CSR_ENABLE;
}

/* The millisecond count and the SysTick value read together: reads again when a tick came
 * in between. */
static void sample(uint64_t *ms, uint32_t *elapsed) {
  uint64_t before;
  do {
    before = milliseconds;
    *elapsed = TICKS_PER_MS - 1u - SYST_CVR;
    *ms = milliseconds;
  } while (*ms != before);
}

static uint64_t now_ms(void *ctx) {
  (void)ctx;
  uint64_t ms;
  uint32_t elapsed;
  sample(&ms, &elapsed);
  return ms;
}

uint64_t fp_stm32_cycles(void) {
  uint64_t ms;
  uint32_t elapsed;
  sample(&ms, &elapsed);
  return ms * TICKS_PER_MS + elapsed;
}

const fp_clock_port *fp_stm32_clock(void) {
  static const fp_clock_port CLOCK = {0, now_ms};
  return &CLOCK;
}
