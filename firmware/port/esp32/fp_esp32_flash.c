/*
 * NOR flash over one data partition. The core addresses the chip's flash from byte 0 with the
 * chip layout's offsets (records at 0x200000, slots from 0x210000), as the agent's bootloader
 * path does over esptool; this port subtracts the partition's address and refuses what lies
 * outside it. SPI NOR flash erases in 4 KiB sectors to 0xFF and programs by clearing bits, which
 * are the rules the core expects. (With flash encryption on, a write is not a bit-clearing
 * program: not supported.)
 */
#include "esp_partition.h"
#include "fp_esp32_port.h"

static const esp_partition_t *partition;
static const fp_layout *chip;

static bool inside(uint32_t offset, uint32_t len) {
  return offset >= partition->address &&
         (uint64_t)offset + len <= (uint64_t)partition->address + partition->size;
}

static fp_err from_esp(esp_err_t err) { return err == ESP_OK ? FP_OK : FP_ERR_FLASH_ERROR; }

static fp_err erase(void *ctx, uint32_t offset, uint32_t len) {
  (void)ctx;
  if (!fp_layout_is_sector_start(chip, offset) || !fp_layout_is_sector_start(chip, offset + len)) {
    return FP_ERR_NOR_VIOLATION;
  }
  if (!inside(offset, len)) return FP_ERR_ARG;
  return from_esp(esp_partition_erase_range(partition, offset - partition->address, len));
}

static fp_err program(void *ctx, uint32_t offset, const uint8_t *data, uint32_t len) {
  (void)ctx;
  if (!inside(offset, len)) return FP_ERR_ARG;
  return from_esp(esp_partition_write(partition, offset - partition->address, data, len));
}

static fp_err read_flash(void *ctx, uint32_t offset, uint8_t *out, uint32_t len) {
  (void)ctx;
  if (!inside(offset, len)) return FP_ERR_ARG;
  return from_esp(esp_partition_read(partition, offset - partition->address, out, len));
}

esp_err_t fp_esp32_flash_init(const char *label, const fp_layout *layout) {
  partition = esp_partition_find_first(ESP_PARTITION_TYPE_DATA, ESP_PARTITION_SUBTYPE_ANY, label);
  if (partition == NULL) return ESP_ERR_NOT_FOUND;
  chip = layout;
  uint32_t end = layout->slot[1] + layout->slot_size;
  if (partition->address > layout->record[0] ||
      (uint64_t)partition->address + partition->size < end ||
      partition->address % layout->uniform_sector != 0) {
    return ESP_ERR_INVALID_SIZE;
  }
  return ESP_OK;
}

const fp_flash_port *fp_esp32_flash(void) {
  static const fp_flash_port PORT = {0, erase, program, read_flash};
  return &PORT;
}
