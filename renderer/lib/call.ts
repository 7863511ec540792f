import type { ChannelName, RequestOf, ResponseOf } from '../../electron/common/contract';
import type { AbuseDeskApi, ResultError } from './types';

/** A failed call, with the contract's error code. */
export class ApiError extends Error {
  constructor(readonly code: ResultError['code'] | string, message: string) {
    super(message);
    this.name = 'ApiError';
  }
}

/** invoke() that returns the value or throws an ApiError (a transport failure is `internal`). */
export async function call<C extends ChannelName>(api: AbuseDeskApi, channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  let r;
  try {
    r = await api.invoke(channel, request);
  } catch (e) {
    throw new ApiError('internal', e instanceof Error ? e.message : String(e));
  }
  if (!r.ok) throw new ApiError(r.error.code, r.error.message);
  return r.value;
}
