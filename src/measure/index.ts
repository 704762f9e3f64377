/** Energy and cost of a trial: estimates from reserved resources and CPU use, RAPL when the host has it. */
export { trialMetrics } from './trial-metrics.ts';
export { CLOUD_CARBON_FOOTPRINT_AWS, estimateEnergyJoules, type EnergyModel } from './energy-model.ts';
export { FARGATE_US_EAST_1, reservationCostUsd, type Prices, type Reservation } from './prices.ts';
export { readRapl, raplJoulesBetween, startRaplMeter, systemPowercap, type PowercapReader, type RaplDomain } from './rapl.ts';
