import { describe, expect, test } from 'vitest';
import { DEFAULT_PIP_SPEC, headerClosure, parseSetupArgs, parseWheelName, quotedIncludes } from './tfjs-node-wheel.ts';

describe('headers taken from the wheel', () => {
  test('quoted includes only, with or without spaces after #', () => {
    const src = '#include <vector>\n#include "tensorflow/c/c_api.h"\n  #  include "utils.h"\n// #include "not/this.h" is a comment\n';
    expect(quotedIncludes(src)).toEqual(['tensorflow/c/c_api.h', 'utils.h']);
  });

  test('follows includes the wheel holds, reads each header once, leaves out what it lacks', async () => {
    // The shape of TF 2.21's C API: c_api.h -> tf_status.h -> xla/tsl/c/tsl_status.h; the binding's own utils.h is not in the wheel.
    const wheel: Record<string, string> = {
      'tensorflow/c/eager/c_api.h': '#include "tensorflow/c/c_api.h"\n#include "tensorflow/c/tf_status.h"',
      'tensorflow/c/c_api.h': '#include "tensorflow/c/tf_status.h"\n#include "tensorflow/c/c_api_macros.h"',
      'tensorflow/c/tf_status.h': '#include "xla/tsl/c/tsl_status.h"',
      'tensorflow/c/c_api_macros.h': '',
      'xla/tsl/c/tsl_status.h': '#include "tensorflow/c/c_api_macros.h"',
      'tensorflow/core/framework/tensor.h': 'never included by the C API',
    };
    const reads: string[][] = [];
    const headers = await headerClosure(
      ['tensorflow/c/eager/c_api.h', 'utils.h', 'tensorflow/c/eager/c_api.h'],
      (h) => h in wheel,
      async (batch) => {
        reads.push([...batch]);
        return new Map(batch.map((h) => [h, wheel[h]!]));
      },
    );
    expect(headers).toEqual([
      'tensorflow/c/c_api.h',
      'tensorflow/c/c_api_macros.h',
      'tensorflow/c/eager/c_api.h',
      'tensorflow/c/tf_status.h',
      'xla/tsl/c/tsl_status.h',
    ]);
    expect(reads.flat().sort()).toEqual(headers);
    expect(reads).toHaveLength(3);
  });
});

describe('setup arguments', () => {
  test('defaults: the checked tensorflow-cpu from pip, cached under ~/.cache/circumplex', () => {
    expect(parseSetupArgs([], '/home/u', {})).toEqual({
      pipSpec: DEFAULT_PIP_SPEC,
      cacheDir: '/home/u/.cache/circumplex',
      force: false,
      help: false,
    });
    expect(parseSetupArgs([], '/home/u', { XDG_CACHE_HOME: '/c' }).cacheDir).toBe('/c/circumplex');
  });

  test('a given wheel, cache and --force, in both spellings', () => {
    const args = parseSetupArgs(
      ['--wheel', '/w/tensorflow-2.21.0-cp311-cp311-manylinux_2_27_x86_64.whl', '--cache=/tmp/c', '--force'],
      '/h',
      {},
    );
    expect(args).toMatchObject({ wheel: '/w/tensorflow-2.21.0-cp311-cp311-manylinux_2_27_x86_64.whl', cacheDir: '/tmp/c', force: true });
  });

  test('unknown options and missing values are refused with the accepted list', () => {
    expect(() => parseSetupArgs(['--gpu'], '/h', {})).toThrow(/unknown option --gpu \(options: --wheel PATH/);
    expect(() => parseSetupArgs(['--wheel'], '/h', {})).toThrow('--wheel needs a value');
    expect(() => parseSetupArgs(['--wheel', '--force'], '/h', {})).toThrow('--wheel needs a value');
  });

  test('wheel names give distribution and version', () => {
    expect(parseWheelName('/x/tensorflow_cpu-2.21.0-cp311-cp311-manylinux_2_27_x86_64.whl')).toEqual({
      distribution: 'tensorflow_cpu',
      version: '2.21.0',
    });
    expect(() => parseWheelName('libtensorflow.tar.gz')).toThrow(/not a wheel file name/);
  });
});
