/**
 * The hardware and software a lab router can have: RouterBOARD models with their ports, sensors and
 * architecture, CHR (which has no `/system/routerboard` menu at all), and RouterOS 7 releases.
 */
export interface HealthSensor {
  name: string;
  type: "C" | "V" | "RPM" | "W" | "A" | "";
  /** Typical value; the reading drifts around it. */
  base: number;
  /** Fixed text for state sensors (`psu1-state` → `ok`). */
  text?: string;
}

export interface HardwareModel {
  boardName: string;
  /** `/system/routerboard` `model`; absent on CHR. */
  model?: string;
  architecture: "arm64" | "arm" | "mmips" | "x86_64" | "tile";
  cpu: string;
  cpuCount: number;
  cpuFrequency: number;
  totalMemory: number;
  totalHdd: number;
  ethernet: string[];
  /** Wireless interfaces (type `wifi`). */
  wifi: string[];
  health: HealthSensor[];
  firmwareType?: string;
  /** Serial numbers of this model start with it. */
  serialPrefix?: string;
  chr: boolean;
}

const range = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);
const MiB = 1024 * 1024;

export const MODELS: readonly HardwareModel[] = [
  {
    boardName: "CCR2004-16G-2S+",
    model: "CCR2004-16G-2S+",
    architecture: "arm64",
    cpu: "ARM64",
    cpuCount: 4,
    cpuFrequency: 1700,
    totalMemory: 4096 * MiB,
    totalHdd: 128 * MiB,
    ethernet: [...range("ether", 16), ...range("sfp-sfpplus", 2)],
    wifi: [],
    health: [
      { name: "cpu-temperature", type: "C", base: 52 },
      { name: "board-temperature1", type: "C", base: 41 },
      { name: "fan1-speed", type: "RPM", base: 4350 },
      { name: "fan2-speed", type: "RPM", base: 4410 },
      { name: "psu1-state", type: "", base: 0, text: "ok" },
      { name: "psu2-state", type: "", base: 0, text: "ok" },
    ],
    firmwareType: "al2",
    serialPrefix: "HCB0",
    chr: false,
  },
  {
    boardName: "RB5009UG+S+",
    model: "RB5009UG+S+",
    architecture: "arm64",
    cpu: "ARM64",
    cpuCount: 4,
    cpuFrequency: 1400,
    totalMemory: 1024 * MiB,
    totalHdd: 1024 * MiB,
    ethernet: [...range("ether", 8), "sfp-sfpplus1"],
    wifi: [],
    health: [
      { name: "voltage", type: "V", base: 24.2 },
      { name: "cpu-temperature", type: "C", base: 47 },
      { name: "board-temperature1", type: "C", base: 38 },
      { name: "board-temperature2", type: "C", base: 36 },
    ],
    firmwareType: "70x0",
    serialPrefix: "HE80",
    chr: false,
  },
  {
    boardName: "hAP ax^3",
    model: "C53UiG+5HPaxD2HPaxD",
    architecture: "arm64",
    cpu: "ARM64",
    cpuCount: 4,
    cpuFrequency: 864,
    totalMemory: 1024 * MiB,
    totalHdd: 128 * MiB,
    ethernet: range("ether", 5),
    wifi: ["wifi1", "wifi2"],
    health: [{ name: "cpu-temperature", type: "C", base: 55 }],
    firmwareType: "ipq6000",
    serialPrefix: "HF30",
    chr: false,
  },
  {
    boardName: "hEX S",
    model: "RB760iGS",
    architecture: "mmips",
    cpu: "MIPS 1004Kc V2.15",
    cpuCount: 4,
    cpuFrequency: 880,
    totalMemory: 256 * MiB,
    totalHdd: 16 * MiB,
    ethernet: [...range("ether", 5), "sfp1"],
    wifi: [],
    health: [
      { name: "voltage", type: "V", base: 23.9 },
      { name: "temperature", type: "C", base: 44 },
    ],
    firmwareType: "mt7621L",
    serialPrefix: "D4C0",
    chr: false,
  },
  {
    boardName: "CCR1036-12G-4S",
    model: "CCR1036-12G-4S",
    architecture: "tile",
    cpu: "tilegx",
    cpuCount: 36,
    cpuFrequency: 1200,
    totalMemory: 4096 * MiB,
    totalHdd: 1024 * MiB,
    ethernet: [...range("ether", 12), ...range("sfp", 4)],
    wifi: [],
    health: [
      { name: "voltage", type: "V", base: 12.1 },
      { name: "cpu-temperature", type: "C", base: 58 },
      { name: "power-consumption", type: "W", base: 38.5 },
      { name: "fan1-speed", type: "RPM", base: 6200 },
    ],
    firmwareType: "tilegx",
    serialPrefix: "6DC0",
    chr: false,
  },
  {
    boardName: "CHR",
    architecture: "x86_64",
    cpu: "Intel(R) Xeon(R) Gold 6230R CPU @ 2.10GHz",
    cpuCount: 2,
    cpuFrequency: 2095,
    totalMemory: 1024 * MiB,
    totalHdd: 128 * MiB,
    ethernet: range("ether", 3),
    wifi: [],
    health: [],
    chr: true,
  },
];

/** RouterOS 7 releases in the lab; 7.8–7.9 still print `jan/15/2024`-style dates. */
export const VERSIONS: readonly { version: string; buildTime: number }[] = [
  { version: "7.8", buildTime: Date.UTC(2023, 1, 23, 10, 12, 4) },
  { version: "7.9.1", buildTime: Date.UTC(2023, 4, 17, 9, 4, 12) },
  { version: "7.9.2", buildTime: Date.UTC(2023, 5, 20, 12, 47, 39) },
  { version: "7.11.2", buildTime: Date.UTC(2023, 7, 31, 6, 29, 33) },
  { version: "7.12.1", buildTime: Date.UTC(2023, 10, 17, 13, 2, 6) },
  { version: "7.14.3", buildTime: Date.UTC(2024, 3, 17, 12, 47, 58) },
  { version: "7.15.3", buildTime: Date.UTC(2024, 6, 24, 10, 39, 0) },
  { version: "7.16.1", buildTime: Date.UTC(2024, 9, 10, 14, 3, 32) },
  { version: "7.16.2", buildTime: Date.UTC(2024, 10, 26, 9, 34, 18) },
  { version: "7.18.2", buildTime: Date.UTC(2025, 2, 11, 8, 14, 40) },
  { version: "7.19.4", buildTime: Date.UTC(2025, 6, 31, 7, 21, 55) },
];

/** What `check-for-updates` finds on the `stable` channel. */
export const LATEST_STABLE = "7.19.4";
