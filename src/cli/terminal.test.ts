import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type OutputStream, progressBarOn, type Terminal, useColor } from './terminal.js';

/** A stream that keeps what is written to it, and says whether it is a terminal. */
function sink(isTTY: boolean): OutputStream & { text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return Object.assign(stream, { isTTY, text: () => text });
}

function terminal(isTTY: boolean, env: NodeJS.ProcessEnv): Terminal {
  return { stdout: sink(isTTY), stderr: sink(isTTY), env };
}

describe('useColor', () => {
  it('colours a terminal, and neither a pipe nor a dumb terminal', () => {
    expect(useColor(terminal(true, {}))).toBe(true);
    expect(useColor(terminal(false, {}))).toBe(false);
    expect(useColor(terminal(true, { TERM: 'dumb' }))).toBe(false);
  });

  it('never colours with a non-empty NO_COLOR, even with FORCE_COLOR', () => {
    expect(useColor(terminal(true, { NO_COLOR: '1' }))).toBe(false);
    expect(useColor(terminal(false, { NO_COLOR: '1', FORCE_COLOR: '1' }))).toBe(false);
    expect(useColor(terminal(true, { NO_COLOR: '' }))).toBe(true);
  });

  it('colours a pipe with FORCE_COLOR other than 0', () => {
    expect(useColor(terminal(false, { FORCE_COLOR: '1' }))).toBe(true);
    expect(useColor(terminal(false, { FORCE_COLOR: '0' }))).toBe(false);
  });
});

describe('progressBarOn', () => {
  it('draws in place on a terminal and erases the line when done', () => {
    const stream = sink(true);
    const bar = progressBarOn(stream);
    bar?.draw(1, 3);
    bar?.done();
    expect(stream.text()).toBe(`\r[${'#'.repeat(10)}${'.'.repeat(20)}] 1/3\r\u001b[2K`);
  });

  it('never runs backwards when the total grows', () => {
    const stream = sink(true);
    const bar = progressBarOn(stream);
    bar?.draw(2, 4);
    bar?.draw(2, 10);
    bar?.draw(9, 10);
    expect(stream.text()).toBe(
      `\r[${'#'.repeat(15)}${'.'.repeat(15)}] 2/4` +
        `\r[${'#'.repeat(15)}${'.'.repeat(15)}] 2/10` +
        `\r[${'#'.repeat(27)}${'.'.repeat(3)}] 9/10`,
    );
  });

  it('draws a full bar for an empty batch', () => {
    const stream = sink(true);
    progressBarOn(stream)?.draw(0, 0);
    expect(stream.text()).toBe(`\r[${'#'.repeat(30)}] 0/0`);
  });

  it('is not there when nobody watches the stream', () => {
    expect(progressBarOn(sink(false))).toBeNull();
  });
});
