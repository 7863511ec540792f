/**
 * Sending against a real SMTP server (the smtp-server package, the server
 * half of nodemailer's project) on 127.0.0.1: what arrives is the message we
 * composed, byte for byte; a server without STARTTLS never sees the password;
 * a silent server fails at the timeout.
 */
import { createServer, type Server } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { composeReply } from '../../../services/reply/compose-eml';
import { sendReply, SendError } from '../../../services/reply/send-smtp';
import { selfSignedCert } from '../intake/fake-imap';

interface Received { from: string; to: string[]; raw: Buffer; user?: string; password?: string; secure: boolean }

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

let cert: { key: string; cert: string } | undefined;

async function smtpServer(opts: { starttls: boolean; auth: boolean }): Promise<{ port: number; received: Received[]; authTried: () => boolean }> {
  const received: Received[] = [];
  let authTried = false;
  const tls = opts.starttls ? (cert ??= selfSignedCert()) : undefined;
  const server = new SMTPServer({
    ...(tls ? { key: tls.key, cert: tls.cert } : { disabledCommands: ['STARTTLS'] }),
    authOptional: !opts.auth,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, session, cb) {
      authTried = true;
      if (auth.username === 'desk' && auth.password === 'S3cret-pw') cb(null, { user: auth.username });
      else cb(new Error('bad login'));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
          user: session.user as string | undefined,
          secure: session.secure,
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  const port = (server.server.address() as { port: number }).port;
  return { port, received, authTried: () => authTried };
}

async function reply() {
  return composeReply({
    subject: 'Re: port scan from 198.51.100.10 [AbuseDesk #3]',
    body: 'Hello,\n\n.a line with a leading dot\n\nBest regards,\nAbuse desk',
    from: 'abuse@example.net',
    to: 'soc@example.org',
    complaint: { reporter: { address: 'soc@example.org' }, text: 'your host scanned us', messageId: '<c1@example.org>' },
  });
}

describe('sendReply over SMTP', () => {
  it('delivers the composed message over STARTTLS with login, the bytes unchanged', async () => {
    const server = await smtpServer({ starttls: true, auth: true });
    const r = await reply();
    const sent = await sendReply(r, { host: '127.0.0.1', port: server.port, security: 'starttls', user: 'desk', allowSelfSigned: true }, 'S3cret-pw');
    expect(sent.accepted).toEqual(['soc@example.org']);
    expect(server.received).toHaveLength(1);
    const got = server.received[0];
    expect(got.secure).toBe(true);
    expect(got.user).toBe('desk');
    expect(got.from).toBe('abuse@example.net');
    expect(got.to).toEqual(['soc@example.org']);
    // The wire dot-stuffs and the server un-stuffs: what arrives is what we composed.
    expect(got.raw.toString('utf8').replace(/\r\n$/, '')).toBe(r.raw.toString('utf8').replace(/\r\n$/, ''));
    const parsed = await simpleParser(got.raw);
    expect(parsed.inReplyTo).toBe('<c1@example.org>');
    expect(parsed.text).toContain('\n.a line with a leading dot\n');
  });

  it('refuses to log in to a server that offers no STARTTLS: the password never leaves', async () => {
    const server = await smtpServer({ starttls: false, auth: true });
    const err = await sendReply(await reply(), { host: '127.0.0.1', port: server.port, security: 'starttls', user: 'desk', timeoutMs: 5000 }, 'S3cret-pw').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SendError);
    expect((err as Error).message).toMatch(/127\.0\.0\.1:\d+/);
    expect(server.authTried()).toBe(false);
    expect(server.received).toHaveLength(0);
  });

  it('names the server when it rejects the login', async () => {
    const server = await smtpServer({ starttls: true, auth: true });
    const err = await sendReply(await reply(), { host: '127.0.0.1', port: server.port, security: 'starttls', user: 'desk', allowSelfSigned: true }, 'wrong').catch((e: unknown) => e);
    expect((err as SendError).code).toBe('refused');
    expect((err as Error).message).toMatch(/^sending through 127\.0\.0\.1:\d+ failed: 535/);
  });

  it('gives up on a silent server at the timeout', async () => {
    const silent: Server = createServer(() => { /* accepts and never greets */ });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => { silent.close(() => resolve()); }));
    const port = (silent.address() as { port: number }).port;
    const err = await sendReply(await reply(), { host: '127.0.0.1', port, security: 'starttls', timeoutMs: 300 }).catch((e: unknown) => e);
    expect((err as SendError).code).toBe('failed');
    expect((err as Error).message).toMatch(/ETIMEDOUT|timeout/i);
  });

  it('sends nothing without a recipient or a From', async () => {
    const noTo = await composeReply({ subject: 's', body: 'b', from: 'abuse@example.net' });
    await expect(sendReply(noTo, { host: '127.0.0.1', port: 1, security: 'tls' })).rejects.toMatchObject({ code: 'no_recipient' });
    const noFrom = await composeReply({ subject: 's', body: 'b', to: 'a@example.org' });
    await expect(sendReply(noFrom, { host: '127.0.0.1', port: 1, security: 'tls' })).rejects.toMatchObject({ code: 'no_sender' });
  });
});
