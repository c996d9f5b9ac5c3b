/** The RouterOS REST client and its helpers (value parsers, export normalisation and hashing). */
export { cpuTemperature, RouterosClient, routerosDetail } from "./routeros/client";
export type {
  CommandOptions,
  ExportOptions,
  HealthReading,
  InterfaceStats,
  IpAddress,
  PackageUpdate,
  PrintOptions,
  Routerboard,
  RosRecord,
  RosValue,
  SystemResource,
  TrafficSample,
} from "./routeros/client";
export { exportHash, normalizeExport } from "./routeros/export";
export { parseRosBool, parseRosDate, parseRosDuration, parseRosNumber } from "./routeros/values";
