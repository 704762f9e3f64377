/** Prices for reserved capacity. Defaults: AWS Fargate, Linux/x86, us-east-1 public list prices. */
export interface Prices {
  usdPerVcpuHour: number;
  usdPerGbHour: number;
}

export const FARGATE_US_EAST_1: Prices = { usdPerVcpuHour: 0.04048, usdPerGbHour: 0.004445 };

/** What a deployment reserves: the resources it is billed (and powered) for, whatever it uses. */
export interface Reservation {
  replicas: number;
  cpus: number; // per replica
  memoryMb: number; // per replica
}

export function reservedVcpus(deployment: Reservation): number {
  return deployment.cpus * deployment.replicas;
}

export function reservedGb(deployment: Reservation): number {
  return (deployment.memoryMb / 1024) * deployment.replicas;
}

/** The cost of holding the reservation for the window, as Fargate bills it (per vCPU-hour and GB-hour). */
export function reservationCostUsd(deployment: Reservation, windowS: number, prices: Prices): number {
  const hours = windowS / 3600;
  return (reservedVcpus(deployment) * prices.usdPerVcpuHour + reservedGb(deployment) * prices.usdPerGbHour) * hours;
}
