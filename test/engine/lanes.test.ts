import { describe, expect, it } from 'vitest';
import { Lanes } from '../../src/engine/lanes.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('Lanes', () => {
  it('runs the work of one key one at a time, in call order', async () => {
    const lanes = new Lanes();
    const log: string[] = [];
    let running = 0;
    const job = (name: string) => async () => {
      running++;
      expect(running).toBe(1);
      log.push(`${name}:start`);
      await tick();
      log.push(`${name}:end`);
      running--;
      return name;
    };
    const results = await Promise.all([
      lanes.run('w', job('a')),
      lanes.run('w', job('b')),
      lanes.run('w', job('c')),
    ]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end']);
  });

  it('runs different keys concurrently', async () => {
    const lanes = new Lanes();
    const log: string[] = [];
    const job = (name: string) => async () => {
      log.push(`${name}:start`);
      await tick();
      log.push(`${name}:end`);
    };
    await Promise.all([lanes.run('x', job('x')), lanes.run('y', job('y'))]);
    expect(log).toEqual(['x:start', 'y:start', 'x:end', 'y:end']);
  });

  it('a failed unit of work rejects its caller and frees the lane for the next', async () => {
    const lanes = new Lanes();
    const failing = lanes.run('w', async () => {
      await tick();
      throw new Error('boom');
    });
    const next = lanes.run('w', async () => 'next');
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next');
    // The lane is free again: a later call runs at once.
    await expect(lanes.run('w', async () => 'later')).resolves.toBe('later');
  });
});
