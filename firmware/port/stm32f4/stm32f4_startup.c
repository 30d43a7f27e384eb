/*
 * Start-up for the STM32F405: the vector table, the reset handler (FPU on, .data copied, .bss
 * zeroed, then main) and the default handlers.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "stm32f4_board.h"
#include "stm32f4_regs.h"
#if defined(FP_STM32_FLASH_SEMIHOST)
#include "stm32f4_semihost.h"
#endif

extern uint32_t __data_start, __data_end, __data_load, __bss_start, __bss_end;
extern uint32_t __stack_top;

int main(void);
void fp_stm32_reset(void);
void fp_stm32_fault(void);
void fp_stm32_default_irq(void);

/* A fault stops the device (a watchdog would reset it); under QEMU, QEMU exits with status 2. */
void fp_stm32_fault(void) {
#if defined(FP_STM32_FLASH_SEMIHOST)
  fp_semihost_print("fieldproof-fw-stm32f4: fault\n");
  fp_semihost_exit(2);
#else
  for (;;) {
  }
#endif
}

void fp_stm32_default_irq(void) {
  for (;;) {
  }
}

#define IRQ_COUNT 82u /* STM32F405: IRQ 0 (WWDG) .. 81 (FPU) */

typedef void (*vector)(void);

/* IRQs this port never enables are left 0: they cannot fire. */

__attribute__((section(".isr_vector"), used)) static const vector VECTORS[16 + IRQ_COUNT] = {
    [0] = (vector)(uintptr_t)&__stack_top,
    [1] = fp_stm32_reset,
    [2] = fp_stm32_fault, /* NMI */
    [3] = fp_stm32_fault, /* HardFault */
    [4] = fp_stm32_fault, /* MemManage */
    [5] = fp_stm32_fault, /* BusFault */
    [6] = fp_stm32_fault, /* UsageFault */
    [11] = fp_stm32_default_irq, /* SVCall */
    [12] = fp_stm32_default_irq, /* DebugMon */
    [14] = fp_stm32_default_irq, /* PendSV */
    [15] = fp_stm32_systick_irq,
    [16 + USART1_IRQN] = fp_stm32_usart1_irq,
};

void fp_stm32_reset(void) {
  SCB_CPACR |= 0xFu << 20; /* CP10 and CP11 full access: the code is built for the FPU */
  __asm__ volatile("dsb\n isb" ::: "memory");
  const uint32_t *from = &__data_load;
  for (uint32_t *to = &__data_start; to < &__data_end;) *to++ = *from++;
  for (uint32_t *p = &__bss_start; p < &__bss_end;) *p++ = 0;
  (void)main();
  fp_stm32_fault();
}
