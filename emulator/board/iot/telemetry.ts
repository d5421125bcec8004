// The readings a simulated IoT app sends: a thermometer and hygrometer drifting slowly, like the simulated
// temperature of Microsoft's AzureIoT sample (a step of at most ±1 °C each time). Drawn from a seed, so a board with
// the same seed sends the same series (emulator/common/seeded-random.ts).
import { seededRandom } from '../../common/seeded-random';

export interface TelemetryReading {
  /** °C, one decimal. */
  temperature: number;
  /** % relative humidity, whole numbers. */
  humidity: number;
}

export class TelemetryGenerator {
  private readonly random: () => number;
  private temperature: number;
  private humidity: number;

  constructor(seed: number) {
    this.random = seededRandom(seed);
    this.temperature = 18 + this.random() * 6;
    this.humidity = 35 + this.random() * 20;
  }

  next(): TelemetryReading {
    this.temperature = Math.min(35, Math.max(5, this.temperature + (this.random() - 0.5)));
    this.humidity = Math.min(90, Math.max(10, this.humidity + (this.random() - 0.5) * 2));
    return { temperature: Math.round(this.temperature * 10) / 10, humidity: Math.round(this.humidity) };
  }
}
