package io.fieldproof.agent.flash.esp32;

import io.fieldproof.agent.flash.FlashException;
import io.fieldproof.agent.flash.FlashProgress;

/**
 * Sends a {@link FlashImage}: one begin (the ROM erases then), then each block in order, each
 * retried on its own with its own sequence number. No end command: on the ROM that would leave the
 * loader, and every block is on flash once its reply came.
 */
final class ImageUpload {

  private ImageUpload() {}

  static void run(RomChannel channel, FlashImage image, int address, FlashProgress progress)
      throws FlashException {
    int begin = image.compressed() ? Opcode.FLASH_DEFL_BEGIN : Opcode.FLASH_BEGIN;
    int data = image.compressed() ? Opcode.FLASH_DEFL_DATA : Opcode.FLASH_DATA;
    channel.call(RomRequest.begin(begin, image.eraseSize(), image.blockCount(), address));
    progress.progress(0, image.size());
    for (int i = 0; i < image.blockCount(); i++) {
      channel.call(RomRequest.block(data, i, image.block(i), image.writtenBy(i)));
      progress.progress(image.writtenAfter(i), image.size());
    }
  }
}
