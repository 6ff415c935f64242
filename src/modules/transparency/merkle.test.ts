import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  appendToCompactRange,
  compactRangeNodes,
  EMPTY_ROOT,
  hashChildren,
  hashLeaf,
  MemoryTree,
  rootFromLeafHashes,
  verifyConsistency,
  verifyInclusion,
  type Hash,
} from './merkle.js';

const hex = (h: Hash) => h.toString('hex');
const leaves = (n: number) => Array.from({ length: n }, (_, i) => hashLeaf(`leaf ${i}`));

/**
 * Known answers: the Certificate Transparency test vectors (the 8 leaves of RFC 6962's reference
 * implementation, certificate-transparency-go merkle/testonly), hashed with the 0x00/0x01 prefixes.
 */
const CT_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((h) => Buffer.from(h, 'hex'));
const CT_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

describe('Merkle tree (RFC 9162 §2.1)', () => {
  test('empty tree and single leaf', () => {
    assert.equal(hex(EMPTY_ROOT), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(hex(new MemoryTree().root()), hex(EMPTY_ROOT));
    assert.equal(hex(hashLeaf(Buffer.alloc(0))), CT_ROOTS[0]);
  });

  test('roots match the Certificate Transparency known answers for sizes 1..8', () => {
    const hashes = CT_LEAVES.map((l) => hashLeaf(l));
    const tree = new MemoryTree(hashes);
    for (let n = 1; n <= 8; n += 1) {
      assert.equal(hex(rootFromLeafHashes(hashes.slice(0, n))), CT_ROOTS[n - 1], `reference root of size ${n}`);
      assert.equal(hex(tree.root(n)), CT_ROOTS[n - 1], `stored-subtree root of size ${n}`);
    }
  });

  test('known inclusion and consistency proofs from the CT test vectors', () => {
    const tree = new MemoryTree(CT_LEAVES.map((l) => hashLeaf(l)));
    assert.deepEqual(tree.inclusionProof(0, 8).map(hex), [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    assert.deepEqual(tree.inclusionProof(5, 8).map(hex), [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
    assert.deepEqual(tree.consistencyProof(1, 8).map(hex), [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    assert.deepEqual(tree.consistencyProof(6, 8).map(hex), [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
    assert.deepEqual(tree.consistencyProof(2, 5).map(hex), ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']);
  });

  const N = 48;
  const hashes = leaves(N);
  const tree = new MemoryTree(hashes);

  test(`roots from stored subtrees equal the recursive definition for sizes 1..${N}`, () => {
    for (let n = 1; n <= N; n += 1) assert.equal(hex(tree.root(n)), hex(rootFromLeafHashes(hashes.slice(0, n))));
  });

  test('the compact range gives the same root as the whole tree after every append', () => {
    let state = { size: 0, range: [] as Hash[] };
    const completed = new Map<string, string>();
    for (let n = 1; n <= N; n += 1) {
      const next = appendToCompactRange(state.size, state.range, [hashes[n - 1]!]);
      for (const c of next.completed) completed.set(`${c.level}/${c.index}`, hex(c.hash));
      state = next;
      assert.equal(state.range.length, compactRangeNodes(n).length);
      const root = state.range.length ? state.range.reduceRight((acc, h) => hashChildren(h, acc)) : EMPTY_ROOT;
      assert.equal(hex(root), hex(tree.root(n)), `root of size ${n}`);
    }
    // Every completed node is the stored perfect subtree of the same position.
    for (const [key, value] of completed) {
      const [level, index] = key.split('/').map(Number) as [number, number];
      assert.equal(value, hex(tree.node({ level, index })));
    }
    // Appending in one batch gives the same state as one by one.
    const batch = appendToCompactRange(0, [], hashes);
    assert.deepEqual(batch.range.map(hex), state.range.map(hex));
  });

  test('every inclusion proof verifies; a tampered leaf, path, index or root fails', () => {
    for (let n = 1; n <= N; n += 1) {
      const root = tree.root(n);
      for (let m = 0; m < n; m += 1) {
        const proof = tree.inclusionProof(m, n);
        assert.ok(verifyInclusion(m, n, hashes[m]!, proof, root), `inclusion ${m} in ${n}`);
        assert.ok(!verifyInclusion(m, n, hashLeaf('forged'), proof, root), `forged leaf ${m} in ${n}`);
        assert.ok(!verifyInclusion(m, n, hashes[m]!, proof, hashLeaf('other root')), `wrong root ${m} in ${n}`);
        if (n > 1) {
          assert.ok(!verifyInclusion((m + 1) % n, n, hashes[m]!, proof, root), `wrong index ${m} in ${n}`);
          const bent = proof.map((p, i) => (i === 0 ? hashLeaf('bent') : p));
          assert.ok(!verifyInclusion(m, n, hashes[m]!, bent, root), `tampered path ${m} in ${n}`);
          assert.ok(!verifyInclusion(m, n, hashes[m]!, proof.slice(0, -1), root), `short path ${m} in ${n}`);
          assert.ok(!verifyInclusion(m, n, hashes[m]!, [...proof, root], root), `long path ${m} in ${n}`);
        }
      }
      assert.ok(!verifyInclusion(n, n, hashes[0]!, [], root));
    }
  });

  test('every consistency proof verifies; a rewritten past or a tampered proof fails', () => {
    const rewritten = [...hashes];
    for (let m = 1; m <= N; m += 1) {
      for (let n = m; n <= N; n += 1) {
        const proof = tree.consistencyProof(m, n);
        const first = tree.root(m);
        const second = tree.root(n);
        assert.ok(verifyConsistency(m, n, first, second, proof), `consistency ${m} → ${n}`);
        if (m < n) {
          assert.ok(!verifyConsistency(m, n, hashLeaf('x'), second, proof), `wrong old root ${m} → ${n}`);
          assert.ok(!verifyConsistency(m, n, first, hashLeaf('x'), proof), `wrong new root ${m} → ${n}`);
          assert.ok(!verifyConsistency(m, n, first, second, proof.slice(1)), `short proof ${m} → ${n}`);
          assert.ok(!verifyConsistency(m, n, first, second, [...proof, first]), `long proof ${m} → ${n}`);
          if (n > m + 1) assert.ok(!verifyConsistency(m + 1, n, first, second, proof), `wrong size ${m} → ${n}`);
        }
      }
    }
    // Rewrite leaf 3: the new log's trees are not consistent with any old root covering leaf 3.
    rewritten[3] = hashLeaf('rewritten');
    const forged = new MemoryTree(rewritten);
    for (let m = 4; m <= 20; m += 1) {
      for (const n of [m + 1, m + 7, N]) {
        if (n > N) continue;
        assert.ok(!verifyConsistency(m, n, tree.root(m), forged.root(n), forged.consistencyProof(m, n)), `rewritten ${m} → ${n}`);
      }
    }
    // An old root from before the rewritten leaf is still consistent.
    assert.ok(verifyConsistency(3, N, tree.root(3), forged.root(N), forged.consistencyProof(3, N)));
    assert.ok(verifyConsistency(0, 5, EMPTY_ROOT, tree.root(5), []));
  });
});
