/*
 * What newlib-nano asks of the system. The heap is the only one used: strtod and the float
 * formatting of snprintf take a few small blocks (and keep them for reuse); nothing else
 * allocates. The rest is reached only on paths this firmware never takes (stdio on files, a
 * failed assert in the number conversion); they fail, and _exit stops the device. Defining
 * __assert_func here keeps newlib's, and the fprintf to stderr it brings (6 KiB), out of the
 * image.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

extern uint8_t __heap_start, __heap_limit;

void *_sbrk(ptrdiff_t increment);
void _exit(int status) __attribute__((noreturn));
void __assert_func(const char *file, int line, const char *function, const char *expression)
    __attribute__((noreturn));
int _kill(int pid, int signal);
int _getpid(void);
int _write(int fd, const void *data, size_t len);
int _read(int fd, void *out, size_t len);
int _close(int fd);
int _fstat(int fd, struct stat *st);
int _isatty(int fd);
int _lseek(int fd, int offset, int whence);

/* Bounded by the linker script's __heap_size. */
void *_sbrk(ptrdiff_t increment) {
  static uint8_t *brk = &__heap_start;
  if (increment < 0 || (size_t)(&__heap_limit - brk) < (size_t)increment) {
    errno = ENOMEM;
    return (void *)-1;
  }
  uint8_t *old = brk;
  brk += increment;
  return old;
}

void _exit(int status) {
  (void)status;
  for (;;) {
    __asm__ volatile("bkpt 2");
  }
}

void __assert_func(const char *file, int line, const char *function, const char *expression) {
  (void)file;
  (void)line;
  (void)function;
  (void)expression;
  _exit(3);
}

int _kill(int pid, int signal) {
  (void)pid;
  (void)signal;
  errno = ENOSYS;
  return -1;
}

int _getpid(void) { return 1; }

int _write(int fd, const void *data, size_t len) {
  (void)fd;
  (void)data;
  (void)len;
  errno = ENOSYS;
  return -1;
}

int _read(int fd, void *out, size_t len) {
  (void)fd;
  (void)out;
  (void)len;
  errno = ENOSYS;
  return -1;
}

int _close(int fd) {
  (void)fd;
  errno = ENOSYS;
  return -1;
}

int _fstat(int fd, struct stat *st) {
  (void)fd;
  st->st_mode = S_IFCHR;
  return 0;
}

int _isatty(int fd) {
  (void)fd;
  return 1;
}

int _lseek(int fd, int offset, int whence) {
  (void)fd;
  (void)offset;
  (void)whence;
  errno = ENOSYS;
  return -1;
}
