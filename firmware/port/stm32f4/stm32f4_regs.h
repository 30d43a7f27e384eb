/*
 * The few STM32F405 and Cortex-M4 registers this port touches, by address (RM0090, the Cortex-M4
 * generic user guide). Written for this port; no vendor header is used.
 */
#ifndef STM32F4_REGS_H
#define STM32F4_REGS_H

#include <stdint.h>

#define STM32_REG(addr) (*(volatile uint32_t *)(uintptr_t)(addr))

/* RCC: clock enables (QEMU does not model RCC; writes there are ignored) */
#define RCC_BASE 0x40023800u
#define RCC_AHB1ENR STM32_REG(RCC_BASE + 0x30u)
#define RCC_APB2ENR STM32_REG(RCC_BASE + 0x44u)
#define RCC_AHB1ENR_GPIOAEN (1u << 0)
#define RCC_APB2ENR_USART1EN (1u << 4)

/* GPIOA: PA9 = USART1_TX, PA10 = USART1_RX, alternate function 7 */
#define GPIOA_BASE 0x40020000u
#define GPIOA_MODER STM32_REG(GPIOA_BASE + 0x00u)
#define GPIOA_AFRH STM32_REG(GPIOA_BASE + 0x24u)

/* USART1 (APB2) */
#define USART1_BASE 0x40011000u
#define USART1_SR STM32_REG(USART1_BASE + 0x00u)
#define USART1_DR STM32_REG(USART1_BASE + 0x04u)
#define USART1_BRR STM32_REG(USART1_BASE + 0x08u)
#define USART1_CR1 STM32_REG(USART1_BASE + 0x0Cu)
#define USART_SR_ORE (1u << 3)
#define USART_SR_RXNE (1u << 5)
#define USART_SR_TXE (1u << 7)
#define USART_CR1_RE (1u << 2)
#define USART_CR1_TE (1u << 3)
#define USART_CR1_RXNEIE (1u << 5)
#define USART_CR1_UE (1u << 13)
#define USART1_IRQN 37u

/* Embedded flash interface */
#define FLASH_IF_BASE 0x40023C00u
#define FLASH_ACR STM32_REG(FLASH_IF_BASE + 0x00u)
#define FLASH_KEYR STM32_REG(FLASH_IF_BASE + 0x04u)
#define FLASH_SR STM32_REG(FLASH_IF_BASE + 0x0Cu)
#define FLASH_CR STM32_REG(FLASH_IF_BASE + 0x10u)
#define FLASH_KEY1 0x45670123u
#define FLASH_KEY2 0xCDEF89ABu
#define FLASH_SR_EOP (1u << 0)
#define FLASH_SR_OPERR (1u << 1)
#define FLASH_SR_WRPERR (1u << 4)
#define FLASH_SR_PGAERR (1u << 5)
#define FLASH_SR_PGPERR (1u << 6)
#define FLASH_SR_PGSERR (1u << 7)
#define FLASH_SR_BSY (1u << 16)
#define FLASH_SR_ERRORS                                                                       \
  (FLASH_SR_OPERR | FLASH_SR_WRPERR | FLASH_SR_PGAERR | FLASH_SR_PGPERR | FLASH_SR_PGSERR)
#define FLASH_CR_PG (1u << 0)
#define FLASH_CR_SER (1u << 1)
#define FLASH_CR_SNB_SHIFT 3u
#define FLASH_CR_SNB_MASK (0xFu << FLASH_CR_SNB_SHIFT)
#define FLASH_CR_PSIZE_SHIFT 8u
#define FLASH_CR_PSIZE_MASK (3u << FLASH_CR_PSIZE_SHIFT)
#define FLASH_CR_PSIZE_X8 (0u << FLASH_CR_PSIZE_SHIFT)
#define FLASH_CR_PSIZE_X32 (2u << FLASH_CR_PSIZE_SHIFT)
#define FLASH_CR_STRT (1u << 16)
#define FLASH_CR_LOCK (1u << 31)
#define FLASH_MEMORY_BASE 0x08000000u

/* 96-bit unique device id (not mapped by QEMU's netduinoplus2: reading it faults there) */
#define UID_BASE 0x1FFF7A10u

/* Cortex-M4 system control */
#define SCB_CPACR STM32_REG(0xE000ED88u)
#define SCB_VTOR STM32_REG(0xE000ED08u)
#define SYST_CSR STM32_REG(0xE000E010u)
#define SYST_RVR STM32_REG(0xE000E014u)
#define SYST_CVR STM32_REG(0xE000E018u)
#define SYST_CSR_ENABLE (1u << 0)
#define SYST_CSR_TICKINT (1u << 1)
#define SYST_CSR_CLKSOURCE (1u << 2)
#define NVIC_ISER(n) STM32_REG(0xE000E100u + 4u * (n))
#define NVIC_IPR_BYTE(irq) (*(volatile uint8_t *)(uintptr_t)(0xE000E400u + (irq)))
#define DEMCR STM32_REG(0xE000EDFCu)
#define DEMCR_TRCENA (1u << 24)
#define DWT_CTRL STM32_REG(0xE0001000u)
#define DWT_CYCCNT STM32_REG(0xE0001004u)

#endif
