// The recovery UART's console protocol, shared by the extension and the board simulator (115200 8N1).
//
// Entering recovery mode. A real MT3620 dev kit enters it when DEBUG_RTS is held while the board is reset; the CLI
// drives both lines through the FTDI chip's bit-bang mode. A pseudo-terminal has no modem lines (serialport's set()
// fails with ENOTTY on a pty) and no reset line, so the simulator takes one line of bytes on its recovery UART as
// the whole gesture: RESET_WITH_DEBUG_RTS ("hold DEBUG_RTS, pulse reset, release"), RESET_PLAIN ("pulse reset").
// These start with ESC and are not XMODEM control bytes; the simulator only looks for them between XMODEM blocks.
//
// What the board says, one line each (CR LF), and when it then sends 'C' to ask for an XMODEM-CRC transfer:
//   [1BL] BOOT: … / [PLUTON] Logging initialized / RECOVERY               → 'C': the recovery bootloader
//   [RBL] Recovery bootloader started / [RBL] Erasing flash / [RBL] Flash erased; send manifest
//                                                                         → 'C': recovery-manifest.json
//   [RBL] Manifest OK: N images, B bytes, OS V
//   [RBL] Send image i of N                                               → 'C': image i
//   [RBL] Image i of N written   (…for every image)
//   [RBL] All images written; rebooting                                   then a normal boot:
//   [1BL] BOOT: … / [PLUTON] Logging initialized / [OS] Azure Sphere OS V started
// Any failure: "[RBL] ERROR: <why>"; the board then stays in recovery mode until it is reset again.

export const RECOVERY_BAUD_RATE = 115200;

export const RESET_WITH_DEBUG_RTS = Buffer.from('\x1bSPHERE-SIM:RESET DEBUG_RTS=1\r\n', 'latin1');
export const RESET_PLAIN = Buffer.from('\x1bSPHERE-SIM:RESET DEBUG_RTS=0\r\n', 'latin1');

export const BoardLine = {
  boot: '[1BL] BOOT: 70e00000/00000000/01010000',
  pluton: '[PLUTON] Logging initialized',
  recovery: 'RECOVERY',
  bootloaderStarted: '[RBL] Recovery bootloader started',
  erasing: '[RBL] Erasing flash',
  erased: '[RBL] Flash erased; send manifest',
  manifestOk: (images: number, bytes: number, osVersion: string) => `[RBL] Manifest OK: ${images} images, ${bytes} bytes, OS ${osVersion}`,
  sendImage: (i: number, n: number) => `[RBL] Send image ${i} of ${n}`,
  imageWritten: (i: number, n: number) => `[RBL] Image ${i} of ${n} written`,
  rebooting: '[RBL] All images written; rebooting',
  osStarted: (osVersion: string) => `[OS] Azure Sphere OS ${osVersion} started`,
  error: (why: string) => `[RBL] ERROR: ${why}`,
} as const;

export const BOARD_ERROR_PREFIX = '[RBL] ERROR: ';
