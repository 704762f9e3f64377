import { reservedGb, reservedVcpus, type Reservation } from './prices.ts';

/**
 * A linear power model per vCPU between idle and full load, plus memory power per GB, times the data
 * centre's PUE. Defaults are Cloud Carbon Footprint's AWS coefficients
 * (packages/aws/src/domain/AwsFootprintEstimationConstants.ts): MIN_WATTS_AVG 0.74 W and MAX_WATTS_AVG
 * 3.5 W per vCPU, MEMORY_COEFFICIENT 0.000392 kWh per GB-hour (= 0.392 W per GB), PUE_AVG 1.135.
 * The result is an estimate, not a measurement.
 */
export interface EnergyModel {
  minWattsPerVcpu: number;
  maxWattsPerVcpu: number;
  wattsPerGb: number;
  pue: number;
}

export const CLOUD_CARBON_FOOTPRINT_AWS: EnergyModel = {
  minWattsPerVcpu: 0.74,
  maxWattsPerVcpu: 3.5,
  wattsPerGb: 0.392,
  pue: 1.135,
};

/**
 * Joules over the window: every reserved vCPU draws idle power the whole time, and each CPU-second
 * used adds the idle-to-full difference (CCF's min + utilisation × (max − min), integrated over time).
 * Memory is counted as reserved, since a limit set is memory held.
 */
export function estimateEnergyJoules(
  cpuSeconds: number,
  windowS: number,
  deployment: Reservation,
  model: EnergyModel,
): number {
  const vcpus = reservedVcpus(deployment);
  const busySeconds = Math.min(Math.max(0, cpuSeconds), vcpus * windowS);
  const cpuJoules = vcpus * windowS * model.minWattsPerVcpu + busySeconds * (model.maxWattsPerVcpu - model.minWattsPerVcpu);
  const memoryJoules = reservedGb(deployment) * model.wattsPerGb * windowS;
  return (cpuJoules + memoryJoules) * model.pue;
}
