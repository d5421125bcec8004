// Line faults decided per SLIP frame (loss) and per byte (bit flips), with a scripted random source.
import * as assert from 'node:assert/strict';
import { LineFaults, type FaultCounters } from '../../../emulator/board/line-faults';

const END = 0xc0;
const frame = (...bytes: number[]) => Buffer.from([END, ...bytes, END]);

/** Returns the scripted values in turn (then 0.999…, i.e. "no fault"). */
function scripted(...values: number[]): () => number {
  return () => (values.length > 0 ? values.shift()! : 0.999999);
}

describe('board-sim line faults', () => {
  it('passes bytes untouched when both rates are 0', () => {
    const counters: FaultCounters = { corruptedBytes: 0, droppedFrames: 0 };
    const faults = new LineFaults({ corruptRate: 0, dropRate: 0 }, counters, () => 0);
    const input = Buffer.concat([frame(1, 2, 3), frame(4, 5)]);
    assert.deepEqual(faults.apply(input), input);
    assert.deepEqual(counters, { corruptedBytes: 0, droppedFrames: 0 });
  });

  it('drops a whole frame, including when it arrives split across chunks, and keeps its neighbours', () => {
    const counters: FaultCounters = { corruptedBytes: 0, droppedFrames: 0 };
    // First frame: kept (0.9 ≥ 0.5); second frame: dropped (0.1 < 0.5); third: kept.
    const faults = new LineFaults({ corruptRate: 0, dropRate: 0.5 }, counters, scripted(0.9, 0.1, 0.9));
    const out = Buffer.concat([
      faults.apply(Buffer.from([END, 1, 2, END, END, 7])),
      faults.apply(Buffer.from([8, 9, END])),
      faults.apply(frame(3)),
    ]);
    assert.deepEqual([...out], [END, 1, 2, END, END, END, 3, END]);
    assert.equal(counters.droppedFrames, 1);
  });

  it('flips exactly one bit of a byte chosen for corruption', () => {
    const counters: FaultCounters = { corruptedBytes: 0, droppedFrames: 0 };
    // Byte 0x10 is corrupted (0.0 < rate) at bit floor(0.5 * 8) = 4: 0x10 ^ 0x10 = 0x00.
    const faults = new LineFaults({ corruptRate: 0.01, dropRate: 0 }, counters, scripted(0.9, 0.0, 0.5, 0.9));
    const out = faults.apply(Buffer.from([END, 0x10, 0x22, END]));
    assert.deepEqual([...out], [END, 0x00, 0x22, END]);
    assert.equal(counters.corruptedBytes, 1);
  });
});
