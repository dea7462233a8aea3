import type { BifrostError } from '@bifrost/schemas';

/** The body of an error answer, typed as the BifrostError it is. */
export async function readError(response: Response): Promise<BifrostError> {
  return (await response.json()) as BifrostError;
}
