# The STM32F405 board port (included by firmware/Makefile). Two images, both with -Werror:
#   $(B)/stm32f4/fieldproof-fw-stm32f4.elf             FP_STM32_FLASH=semihost: for QEMU's
#       netduinoplus2 (flash in a host file and options through semihosting; SysTick at 168 MHz)
#   $(B)/stm32f4/fieldproof-fw-stm32f4-controller.elf  FP_STM32_FLASH=controller: for a chip
#       (the flash controller, UID_BASE; 16 MHz HSI), with an Intel HEX beside it. Untested here.
#       No .bin: the image has a gap (sectors 2-3, the slot records) that a raw binary would fill
#       with zeros and so wipe the records when flashed.
# The core objects are the cortex-m4 target's.

STM32_DIR := port/stm32f4
STM32_OUT := $(B)/stm32f4
STM32_COMMON := stm32f4_startup.c stm32f4_syscalls.c stm32f4_clock.c stm32f4_usart.c \
                stm32f4_sensors.c stm32f4_runner_cycles.c main.c
STM32_SEMIHOST_SRC := $(STM32_COMMON) stm32f4_semihost.c stm32f4_flash_semihost.c stm32f4_options.c
STM32_CONTROLLER_SRC := $(STM32_COMMON) stm32f4_flash_ctrl.c stm32f4_identity.c
STM32_HDR := $(wildcard $(STM32_DIR)/*.h) port/host/fp_host_identity.h
STM32_CORE_OBJ := $(patsubst %.c,$(B)/cortex-m4/%.o,$(notdir $(CORE_SRC)))
# newlib-nano: the core writes its integers itself (no %lld, which nano's printf lacks); its
# doubles go through snprintf's %e, so nano's float formatting is linked in (-u _printf_float).
STM32_LDFLAGS := -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 \
                 --specs=nano.specs -u _printf_float \
                 -nostartfiles -T $(STM32_DIR)/stm32f4.ld -Wl,--gc-sections \
                 -Wl,--no-warn-rwx-segments -Wl,--enable-non-contiguous-regions
STM32_FLAGS_semihost := -DFP_STM32_FLASH_SEMIHOST -DFP_STM32_HCLK_HZ=168000000u -Iport/host
STM32_FLAGS_controller := -DFP_STM32_FLASH_CONTROLLER

STM32_SEMIHOST_OBJ := $(STM32_SEMIHOST_SRC:%.c=$(STM32_OUT)/semihost/%.o) \
                      $(STM32_OUT)/semihost/fp_host_identity.o
STM32_CONTROLLER_OBJ := $(STM32_CONTROLLER_SRC:%.c=$(STM32_OUT)/controller/%.o)

$(STM32_OUT)/semihost/fp_host_identity.o: port/host/fp_host_identity.c $(CORE_HDR) $(STM32_HDR)
	@mkdir -p $(dir $@)
	$(ARM_CC) $(ARM_FLAGS) $(STM32_FLAGS_semihost) -c $< -o $@
$(STM32_OUT)/semihost/%.o: $(STM32_DIR)/%.c $(CORE_HDR) $(STM32_HDR)
	@mkdir -p $(dir $@)
	$(ARM_CC) $(ARM_FLAGS) -I$(STM32_DIR) $(STM32_FLAGS_semihost) -c $< -o $@
$(STM32_OUT)/controller/%.o: $(STM32_DIR)/%.c $(CORE_HDR) $(STM32_HDR)
	@mkdir -p $(dir $@)
	$(ARM_CC) $(ARM_FLAGS) -I$(STM32_DIR) $(STM32_FLAGS_controller) -c $< -o $@

$(STM32_OUT)/fieldproof-fw-stm32f4.elf: $(STM32_SEMIHOST_OBJ) $(STM32_CORE_OBJ) $(STM32_DIR)/stm32f4.ld
	$(ARM_CC) $(STM32_LDFLAGS) -Wl,-Map=$(@:.elf=.map) $(filter %.o,$^) -lm -o $@
$(STM32_OUT)/fieldproof-fw-stm32f4-controller.elf: $(STM32_CONTROLLER_OBJ) $(STM32_CORE_OBJ) $(STM32_DIR)/stm32f4.ld
	$(ARM_CC) $(STM32_LDFLAGS) -Wl,-Map=$(@:.elf=.map) $(filter %.o,$^) -lm -o $@
$(STM32_OUT)/%.hex: $(STM32_OUT)/%.elf
	arm-none-eabi-objcopy -O ihex $< $@

.PHONY: stm32f4 stm32f4-qemu
stm32f4-qemu: $(STM32_OUT)/fieldproof-fw-stm32f4.elf
stm32f4: $(STM32_OUT)/fieldproof-fw-stm32f4.elf $(STM32_OUT)/fieldproof-fw-stm32f4-controller.elf \
         $(STM32_OUT)/fieldproof-fw-stm32f4-controller.hex
	@echo "stm32f4 images (arm-none-eabi-size; flash = text + data, RAM = data + bss incl. heap and stack):"
	@arm-none-eabi-size $(filter %.elf,$^)

help: help-stm32f4
.PHONY: help-stm32f4
help-stm32f4:
	@echo "make stm32f4    the STM32F405 images: $(STM32_OUT)/fieldproof-fw-stm32f4.elf (QEMU netduinoplus2,"
	@echo "                semihosting flash) and ...-controller.elf/.hex (a chip; flash driver untested)"
