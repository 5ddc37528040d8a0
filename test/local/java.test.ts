import { describe, expect, it } from 'vitest';
import { findJava } from '../../lib/local/java.js';

describe('finding Java', () => {
  it('finds the java on PATH', () => {
    expect(findJava({ PATH: process.env.PATH ?? '' })).toMatch(/java$/);
  });

  it('says how to install a Java runtime when there is none', () => {
    expect(() => findJava({ PATH: '' })).toThrow('apt-get install -y default-jre-headless');
  });
});
