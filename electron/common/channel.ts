/**
 * A channel's table entry: the zod request schema, and the response as a
 * phantom type. Its own module so that each group of channels (the contract,
 * the reply channels) can declare entries the one `channels` table collects.
 */
import type { z } from 'zod';

export interface ChannelDef<Req extends z.ZodType, Res> {
  request: Req;
  /** Type-only: never read at run time. */
  response?: Res;
}

export function channel<Req extends z.ZodType>(request: Req) {
  return { returns: <Res>(): ChannelDef<Req, Res> => ({ request }) };
}
