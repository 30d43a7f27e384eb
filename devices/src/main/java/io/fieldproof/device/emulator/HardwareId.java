package io.fieldproof.device.emulator;

import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Derives the hardware identity of an emulated device from a seed, deterministically: an ESP32 base
 * MAC under an Espressif OUI, or an STM32 96-bit unique id (wafer X/Y, wafer number, lot number).
 * Seeds that differ in their low 24 bits give different ids.
 */
final class HardwareId {

  private static final byte[][] ESPRESSIF_OUIS = {
    {(byte) 0xa4, (byte) 0xcf, 0x12},
    {0x24, 0x0a, (byte) 0xc4},
    {0x30, (byte) 0xae, (byte) 0xa4},
    {0x7c, (byte) 0xdf, (byte) 0xa1}
  };
  private static final String LOT_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  private static final int MASK_24 = 0xFFFFFF;

  private HardwareId() {}

  /** The device id of a chip of {@code family} made from {@code seed}. */
  static String deviceId(Chip.Family family, long seed) {
    byte[] id = family == Chip.Family.ESP32 ? espressifMac(seed) : stm32Uid(seed);
    return family.idPrefix() + HexFormat.of().formatHex(id);
  }

  /** Six bytes: an Espressif OUI and a NIC part that is a bijection of the seed's low 24 bits. */
  static byte[] espressifMac(long seed) {
    byte[] oui =
        ESPRESSIF_OUIS[
            (int)
                Math.floorMod(new SplittableRandom(seed).nextLong(), (long) ESPRESSIF_OUIS.length)];
    int nic = permute24((int) seed & MASK_24);
    return new byte[] {oui[0], oui[1], oui[2], (byte) (nic >>> 16), (byte) (nic >>> 8), (byte) nic};
  }

  /**
   * Twelve bytes in address order: X and Y wafer coordinates (u16 LE each, a bijection of the
   * seed's low 32 bits), the wafer number and a seven-character ASCII lot number.
   */
  static byte[] stm32Uid(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] uid = new byte[12];
    int coordinates = permute32((int) seed);
    for (int i = 0; i < 4; i++) {
      uid[i] = (byte) (coordinates >>> (8 * i));
    }
    uid[4] = (byte) (1 + random.nextInt(25));
    for (int i = 5; i < 12; i++) {
      uid[i] = (byte) LOT_ALPHABET.charAt(random.nextInt(LOT_ALPHABET.length()));
    }
    return uid;
  }

  private static int permute24(int value) {
    int x = (value * 0x9E3779) & MASK_24;
    x ^= x >>> 12;
    x = (x * 0xC2B2AF) & MASK_24;
    return x ^ (x >>> 11);
  }

  private static int permute32(int value) {
    int x = value * 0x9E3779B9;
    x ^= x >>> 16;
    x *= 0x85EBCA6B;
    return x ^ (x >>> 13);
  }
}
