/** One configuration: parameter name → value (numbers for float/int/pow2, strings for categoricals). */
export type ParamValue = number | string;
export type Params = Readonly<Record<string, ParamValue>>;
