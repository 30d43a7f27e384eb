/*
 * ARM semihosting (BKPT 0xAB): file operations and the command line served by the debugger or,
 * here, by QEMU (`-semihosting-config enable=on,target=native`). Only for builds that run under
 * one of them: on a chip without a debugger attached, BKPT faults.
 */
#ifndef STM32F4_SEMIHOST_H
#define STM32F4_SEMIHOST_H

#include <stddef.h>
#include <stdint.h>

/* SYS_OPEN modes (fopen's "rb", "r+b", "w+b") */
#define FP_SEMIHOST_MODE_RB 1
#define FP_SEMIHOST_MODE_RWB 3
#define FP_SEMIHOST_MODE_CREATE_RWB 7

/* A handle (>= 0) or -1. */
int32_t fp_semihost_open(const char *path, int mode);
int32_t fp_semihost_close(int32_t handle);
/* 0 when all len bytes were read or written, else what was not. */
uint32_t fp_semihost_read(int32_t handle, void *out, uint32_t len);
uint32_t fp_semihost_write(int32_t handle, const void *data, uint32_t len);
/* 0 on success. */
int32_t fp_semihost_seek(int32_t handle, uint32_t position);
/* The file's length in bytes, or -1. */
int32_t fp_semihost_flen(int32_t handle);
/* The command line into out (NUL-terminated); 0 on success. */
int32_t fp_semihost_cmdline(char *out, size_t cap);
/* Text on the debugger's (QEMU's) standard output. */
void fp_semihost_print(const char *text);
/* Ends the session: QEMU exits with status code. */
void fp_semihost_exit(uint32_t code) __attribute__((noreturn));

#endif
