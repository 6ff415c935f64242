import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeTileIndex, entryBundle, entryBundlesFor, parseEntryBundle, parseTilePath, tilePath, tilesForSize } from './tiles.js';

describe('tlog-tiles paths', () => {
  it('encodes indexes as the specification does (1234067 → x001/x234/067)', () => {
    assert.equal(encodeTileIndex(1234067), 'x001/x234/067');
    assert.equal(encodeTileIndex(0), '000');
    assert.equal(encodeTileIndex(1000), 'x001/000');
    assert.equal(tilePath({ level: 1, index: 1234067, width: 256 }), 'tile/1/x001/x234/067');
    assert.equal(tilePath({ level: 'entries', index: 5, width: 7 }), 'tile/entries/005.p/7');
  });

  it('reads paths back, and refuses other spellings', () => {
    assert.deepEqual(parseTilePath('tile/0/x001/x234/067.p/7'), { level: 0, index: 1234067, width: 7 });
    assert.deepEqual(parseTilePath('tile/entries/000'), { level: 'entries', index: 0, width: 256 });
    for (const bad of ['tile/0/1', 'tile/0/x000/001', 'tile/64/000', 'tile/01/000', 'tile/0/000.p/0', 'tile/0/000.p/256', 'tile/0/000.p/07', 'tile/0/001/002']) {
      assert.equal(parseTilePath(bad), undefined, bad);
    }
  });

  it("lists the tiles of the specification's example: 70,000 entries", () => {
    const tiles = tilesForSize(70000).filter((t) => t.level !== 'entries');
    const level0 = tiles.filter((t) => t.level === 0);
    assert.equal(level0.filter((t) => t.width === 256).length, 273);
    assert.deepEqual(level0.at(-1), { level: 0, index: 273, width: 112 });
    assert.deepEqual(tiles.filter((t) => t.level === 1), [{ level: 1, index: 0, width: 256 }, { level: 1, index: 1, width: 17 }]);
    assert.deepEqual(tiles.filter((t) => t.level === 2), [{ level: 2, index: 0, width: 1 }]);
    // "a tree of size 256 will be represented by a full level 0 tile and a partial level 1 tile of width 1"
    assert.deepEqual(tilesForSize(256).filter((t) => t.level !== 'entries'), [{ level: 0, index: 0, width: 256 }, { level: 1, index: 0, width: 1 }]);
  });

  it('entry bundles are uint16-length-prefixed entries', () => {
    const entries = [Buffer.from('a'), Buffer.alloc(0), Buffer.from('{"x":1}')];
    const bundle = entryBundle(entries);
    assert.equal(bundle.readUInt16BE(0), 1);
    assert.deepEqual(parseEntryBundle(bundle), entries);
    assert.throws(() => entryBundle([Buffer.alloc(70000)]), RangeError);
  });
});

describe('entryBundlesFor', () => {
  it('lists the bundles covering [from, to): full tiles, a partial one only at the right edge', () => {
    assert.deepEqual(entryBundlesFor(600, 600), []);
    assert.deepEqual(entryBundlesFor(0, 0), []);
    assert.deepEqual(entryBundlesFor(300, 600), [{ index: 1, width: 256, first: 300 }, { index: 2, width: 88, first: 512 }]);
    assert.deepEqual(entryBundlesFor(0, 256), [{ index: 0, width: 256, first: 0 }]);
    assert.deepEqual(entryBundlesFor(255, 257), [{ index: 0, width: 256, first: 255 }, { index: 1, width: 1, first: 256 }]);
    assert.deepEqual(entryBundlesFor(3, 5), [{ index: 0, width: 5, first: 3 }]);
  });
});
