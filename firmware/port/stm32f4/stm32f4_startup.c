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

/* Appends "name=0x%08x " to out at *at (bounded by cap). */
static void put_word(char *out, unsigned *at, unsigned cap, const char *name, uint32_t value) {
  static const char HEX[] = "0123456789abcdef";
  while (*name != '\0' && *at + 1 < cap) {
    out[(*at)++] = *name++;
  }
  const char *lead = "=0x";
  while (*lead != '\0' && *at + 1 < cap) {
    out[(*at)++] = *lead++;
  }
  for (int shift = 28; shift >= 0 && *at + 1 < cap; shift -= 4) {
    out[(*at)++] = HEX[(value >> (unsigned)shift) & 0xFu];
  }
  if (*at + 1 < cap) {
    out[(*at)++] = ' ';
  }
  out[*at] = '\0';
}

void fp_stm32_fault_report(const uint32_t *frame);

/*
 * A fault stops the device (a watchdog would reset it). Under QEMU it first says where: the
 * faulting pc and lr from the exception frame and the fault status registers (CFSR, HFSR, BFAR,
 * MMFAR), then QEMU exits with status 2. The address decodes with
 * `arm-none-eabi-addr2line -e build/stm32f4/fieldproof-fw-stm32f4.elf PC`.
 */
void fp_stm32_fault_report(const uint32_t *frame) {
#if defined(FP_STM32_FLASH_SEMIHOST)
  char line[160];
  unsigned at = 0;
  put_word(line, &at, sizeof line, "fieldproof-fw-stm32f4: fault pc", frame[6]);
  put_word(line, &at, sizeof line, "lr", frame[5]);
  put_word(line, &at, sizeof line, "cfsr", *(volatile const uint32_t *)0xE000ED28u);
  put_word(line, &at, sizeof line, "hfsr", *(volatile const uint32_t *)0xE000ED2Cu);
  put_word(line, &at, sizeof line, "mmfar", *(volatile const uint32_t *)0xE000ED34u);
  put_word(line, &at, sizeof line, "bfar", *(volatile const uint32_t *)0xE000ED38u);
  fp_semihost_print(line);
  fp_semihost_print("\n");
  fp_semihost_exit(2);
#else
  (void)frame;
  (void)put_word;
  for (;;) {
  }
#endif
}

/* The handler itself only finds the exception frame (main or process stack) for the report. */
__attribute__((naked)) void fp_stm32_fault(void) {
  __asm volatile(
      "tst lr, #4\n"
      "ite eq\n"
      "mrseq r0, msp\n"
      "mrsne r0, psp\n"
      "b fp_stm32_fault_report\n");
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
