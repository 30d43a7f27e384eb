/*
 * USART1 at FP_STM32_BAUD 8N1 on PA9 (TX) and PA10 (RX). Received bytes go into a ring buffer
 * from the RXNE interrupt; the main loop takes them out. Transmission polls TXE.
 */
#include <stdbool.h>

#include "stm32f4_board.h"
#include "stm32f4_regs.h"

/* Room for a whole SLOT_WRITE frame (4124 bytes) arriving while the main loop is busy. */
#define RING_SIZE 8192u

static uint8_t ring[RING_SIZE];
static volatile uint32_t head; /* written by the interrupt */
static volatile uint32_t tail; /* written by the main loop */
static volatile uint32_t overruns;

void fp_stm32_usart1_irq(void) {
  uint32_t sr = USART1_SR;
  if (sr & (USART_SR_RXNE | USART_SR_ORE)) {
    uint8_t byte = (uint8_t)USART1_DR; /* reading DR clears RXNE and ORE */
    if (sr & USART_SR_ORE) overruns++;
    uint32_t next = (head + 1u) % RING_SIZE;
    if (next == tail) {
      overruns++;
    } else {
      ring[head] = byte;
      head = next;
    }
  }
}

void fp_stm32_usart_init(void) {
  RCC_AHB1ENR |= RCC_AHB1ENR_GPIOAEN;
  RCC_APB2ENR |= RCC_APB2ENR_USART1EN;
  GPIOA_MODER = (GPIOA_MODER & ~((3u << 18) | (3u << 20))) | (2u << 18) | (2u << 20);
  GPIOA_AFRH = (GPIOA_AFRH & ~((0xFu << 4) | (0xFu << 8))) | (7u << 4) | (7u << 8);
  USART1_BRR = (FP_STM32_HCLK_HZ + FP_STM32_BAUD / 2u) / FP_STM32_BAUD; /* APB2 = HCLK */
  USART1_CR1 = USART_CR1_UE | USART_CR1_TE | USART_CR1_RE | USART_CR1_RXNEIE;
  NVIC_IPR_BYTE(USART1_IRQN) = 0x40;
  NVIC_ISER(USART1_IRQN / 32u) = 1u << (USART1_IRQN % 32u);
}

size_t fp_stm32_usart_take(uint8_t *out, size_t cap) {
  size_t n = 0;
  uint32_t t = tail;
  while (n < cap && t != head) {
    out[n++] = ring[t];
    t = (t + 1u) % RING_SIZE;
  }
  tail = t;
  return n;
}

uint32_t fp_stm32_usart_overruns(void) { return overruns; }

static fp_err usart_write(void *ctx, const uint8_t *data, size_t len) {
  (void)ctx;
  for (size_t i = 0; i < len; i++) {
    while (!(USART1_SR & USART_SR_TXE)) {
    }
    USART1_DR = data[i];
  }
  return FP_OK;
}

const fp_stream_port *fp_stm32_usart_stream(void) {
  static const fp_stream_port STREAM = {0, usart_write};
  return &STREAM;
}
