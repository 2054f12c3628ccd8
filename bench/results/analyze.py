#!/usr/bin/env python3
"""Offline analysis of the committed skinny-bench CSVs (not part of the build).

  analyze.py summary FILE.csv...          geometric means, cells below cuBLAS,
                                          invariant-mode cost, heuristic vs tuned
  analyze.py invariant-choice             the rules table of h200-invariant-choice.md
  analyze.py one-tile                     the tables of h200-one-tile-n9-16.md
  analyze.py lab-measure LAB.csv DEVICE MIN_MB
                                          a kernel-lab CSV (bench/lab) as skinny-bench
                                          --measure lines: the register kernel's rows at
                                          the library's grid, weights >= MIN_MB
  analyze.py lab-table LAB.csv             the register kernel's best row per cell
                                          against cuBLAS and the ceiling (README's
                                          H100 table)
  analyze.py lab-vs LAB.csv VARIANT        a lab prototype's best row against the
                                          register kernel's, per cell (lab8, lab9)
  analyze.py h100-runs                    the README's H100 figures beyond `summary`:
                                          best row per cell (tune), N > 8 per shape
                                          (05:10 against 04:45), the 06:44 run's best
                                          row and heuristic per cell, the Llama decode
                                          step against its 1.10x target
  analyze.py fp8 FILE.csv                 the README's fp8 table (skinny-bench --dtype fp8)
  analyze.py pdl-trial                    the programmatic-dependent-launch trial
                                          (h100-pdl-trial-*) against the committed code
  analyze.py fp8-kernel                   the fp8 kernel's changes on the H100: x read
                                          late (h100-fp8-candidates-measure*.csv), one
                                          tile against two, the heuristic on the table's
                                          rows, the bf16 decode A/B (h100-fp8-decode-*)
  analyze.py tune-ab BASE.csv VARIANT.csv two builds' --tune tables (heuristic and best row
                                          per cell), one machine (the 32-bit K trial)
  analyze.py targets GRAPH.csv [DECODE.csv]
                                          one run against issue 10's targets: summary,
                                          weights >= 100 MB against the ceiling, cells
                                          below cuBLAS, and the decode steps
  analyze.py shape FILE.csv MxK           one shape of a skinny-bench CSV: per dtype and N,
                                          the kernel, speedup over cuBLAS and % of the ceiling
  analyze.py ab BASE.csv VARIANT.csv [ROW-REGEX]
                                          two builds' --measure files of one run (an A/B
                                          trial): base / variant time (> 1: the variant is
                                          faster) of each cell's best row and of the same
                                          row, by dtype, N = 1..8 / 9..16 and weights below
                                          / from 32 MB; ROW-REGEX: only rows it matches

The rule simulations replay the planner's MMA preferences (runtime/skinny_select.c,
pick_mma: fit on 132 SMs, waves, even K split, resident workgroups, balance, unroll)
on the measured time of every candidate row (skinny-bench --tune --measure files).
"""
import collections
import csv
import math
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CUS = 132


def gm(v):
    return math.exp(sum(map(math.log, v)) / len(v))


def cd(a, b):
    return (a + b - 1) // b


def summary(paths):
    for p in paths:
        every = list(csv.DictReader(open(p)))
        rows = [r for r in every if r['skinny_us'] != 'nan']
        def part(sel):
            v = [float(r['speedup']) for r in rows if sel(int(r['n']))]
            return '%.3f (below 1: %d, min %.3f)' % (gm(v), sum(x < 1 for x in v), min(v))
        print(p, 'cells', len(rows), 'all', part(lambda n: True), '| N<=8', part(lambda n: n <= 8),
              '| N>8', part(lambda n: n > 8))
        # Cells the measured rules send to cuBLAS: the caller gets cuBLAS's speed there.
        back = [r for r in every if r['skinny_us'] == 'nan']
        if back:
            def with_back(sel):
                v = [float(r['speedup']) if r['skinny_us'] != 'nan' else 1.0 for r in every if sel(int(r['n']))]
                return '%.3f' % gm(v)
            print('  to cuBLAS by measured rules: %d of %d cells (%s); geometric mean counting them as 1.00: '
                  'all %s | N<=8 %s | N>8 %s' % (len(back), len(every),
                  ' '.join(sorted({r['m'] + 'x' + r['k'] for r in back})), with_back(lambda n: True),
                  with_back(lambda n: n <= 8), with_back(lambda n: n > 8)))
        if 'invariant_speed_vs_default' in rows[0]:
            inv = [r for r in rows if r['invariant_us'] != 'nan']
            v = [float(r['invariant_speed_vs_default']) for r in inv]
            big = [r for r in inv if float(r['m']) * float(r['k']) * 2 >= 32e6]
            low = sorted({(r['m'] + 'x' + r['k']) for r in big if float(r['invariant_speed_vs_default']) < 0.95})
            print('  invariant vs default: gm %.3f, min %.3f, >=32 MB min %.3f, cells below 0.95: %d %s' %
                  (gm(v), min(v), min(float(r['invariant_speed_vs_default']) for r in big),
                   sum(float(r['invariant_speed_vs_default']) < 0.95 for r in big), low))
        if 'best_us' in rows[0]:
            h = [float(r['skinny_us']) / float(r['best_us']) for r in rows if r['best_us'] != 'nan']
            print('  heuristic / tuned: worst %.3f, cells above 1.05: %d' % (max(h), sum(x > 1.05 for x in h)))


CUBLAS = {}  # (dtype, m, k, n) -> cuBLAS us of that cell, same run


def load_measure(names):
    t = collections.defaultdict(dict)
    for name in names:
        for r in csv.DictReader(open(os.path.join(HERE, name))):
            cell = (r['dtype'], int(r['m']), int(r['k']), int(r['n']))
            t[cell][r['row']] = float(r['us'])
            CUBLAS[cell] = float(r['cublas_us'])
    return t


def parse(name):
    f = name.split('_')
    return dict(name=name, n=int(f[0][1:]), g=int(f[2][1:]), mt=int(f[3][1:]), u=int(f[4][1:]))


def key(r, m, k, tiles_first):
    """pick_mma's key; tiles_first: one-tile rows before all else (default dispatch at N <= 8)."""
    blocks = cd(m, 16 * r['mt'])
    resident = cd(16, r['g'])
    slots = CUS * resident
    fits = blocks <= slots
    balance = blocks * 16 // (cd(blocks, slots) * slots)
    groups = cd(k, 128)
    even = groups * 20 >= cd(groups, r['g']) * r['g'] * 19
    rest = (fits, r['g'] if fits else even, 0 if fits else -abs(resident - 2), 0 if fits else balance, r['u'])
    return ((-r['mt'],) if tiles_first else (0,)) + rest


def pick(rows, m, k, tiles_first, only_g=0):
    cand = [r for r in rows if not only_g or r['g'] == only_g]
    return max(cand, key=lambda r: key(r, m, k, tiles_first))


def invariant_choice():
    t = load_measure(['h200-invariant-candidates-default.csv', 'h200-invariant-candidates-models.csv'])
    slices = {n: [parse(r) for r in next(v for kk, v in t.items() if kk[3] == n)] for n in range(1, 17)}

    def allowed(n, two_tile_small):
        return [r for r in slices[n] if two_tile_small or r['mt'] == (1 if n <= 8 else 2)]

    def worst(d, m, k, g, two_tile_small):
        w = 9.0
        for n in range(1, 17):
            times = t[(d, m, k, n)]
            default = times[pick(slices[n], m, k, True)['name']]
            w = min(w, default / times[pick(allowed(n, two_tile_small), m, k, False, g)['name']])
        return w

    print('| dtype | M x K | MB | G of N = 1 | G of N = 16 | worst, G of N = 1, one-tile rows '
          '| worst, G of N = 16, one-tile rows | worst, G of N = 16, two-tile rows allowed (**chosen**) '
          '| best single G | its worst |')
    print('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|')
    for d, m, k in sorted({kk[:3] for kk in t}):
        g1 = pick(slices[1], m, k, True)['g']
        g16 = pick(slices[16], m, k, False)['g']
        best = max((4, 8, 16), key=lambda g: worst(d, m, k, g, True))
        print('| %s | %dx%d | %.0f | %d | %d | %.3f | %.3f | %.3f | %d | %.3f |' %
              (d, m, k, m * k * 2 / 1e6, g1, g16, worst(d, m, k, g1, False), worst(d, m, k, g16, False),
               worst(d, m, k, g16, True), best, worst(d, m, k, best, True)))


def one_tile():
    t = load_measure(['h200-one-tile-n9-16-candidates-default.csv', 'h200-one-tile-n9-16-candidates-models.csv'])
    ratio = collections.defaultdict(list)
    for (d, m, k, n), times in t.items():
        if n <= 8:
            continue
        two = min(v for r, v in times.items() if parse(r)['mt'] == 2)
        one = min(v for r, v in times.items() if parse(r)['mt'] == 1)
        ratio[(m, k)].append(two / one)
    print('| M x K | min | max | geometric mean |\n|---|---:|---:|---:|')
    for (m, k), v in sorted(ratio.items()):
        print('| %dx%d | %.3f | %.3f | %.3f |' % (m, k, min(v), max(v), gm(v)))
    rules = {
        'two tiles only': lambda r, m: 0 if r['mt'] == 2 else -99,
        'one tile iff ceil(M/16) <= SMs (chosen)': lambda r, m: -r['mt'] if cd(m, 16) <= CUS else r['mt'],
        'one tile iff ceil(M/16) <= 2 x SMs': lambda r, m: -r['mt'] if cd(m, 16) <= 2 * CUS else r['mt'],
    }
    print('\n| rule | heuristic / tuned, worst | cells more than 5 % off | geometric mean vs cuBLAS '
          '| cells below cuBLAS |\n|---|---:|---:|---:|---:|')
    for name, pref in rules.items():
        h, sp = [], []
        for (d, m, k, n), times in t.items():
            if n <= 8:
                continue
            rows = [parse(r) for r in times]
            chosen = max(rows, key=lambda r: (pref(r, m),) + key(r, m, k, False)[1:])
            h.append(times[chosen['name']] / min(times.values()))
            sp.append(CUBLAS[(d, m, k, n)] / times[chosen['name']])
        print('| %s | %.3f | %d | %.3f | %d |' % (name, max(h), sum(x > 1.05 for x in h), gm(sp),
                                                 sum(x < 1 for x in sp)))


def lab_rows(path, variant):
    """A kernel-lab CSV (bench/lab): the lines of variants whose name starts
    with `variant`, each row configuration at the grid the library launches
    (skinny_mma_grid: one workgroup per block where all fit, else the fewest
    rounds split evenly; the lab prints that grid as 'even', or as 'occ' or
    'tiles' where it equals those; prototypes print 'staged' / 'tma-even').
    Returns the 2 GiB read ceiling, the pure read at each size {(m, k): GB/s}
    and {(n, g, mt, u, m, k): line}."""
    lines = [l.strip().split(',') for l in open(path) if not l.startswith('#')]
    ceiling = next(float(r[1]) for r in lines if r[0] == 'ceiling')
    read = {(int(r[1]), int(r[2])): float(r[4]) for r in lines if r[0] == 'readsize'}
    modes = collections.defaultdict(dict)
    for r in lines:
        if len(r) == 14 and r[0] != 'variant' and r[0].startswith(variant):
            _, n, g, mt, u, mode, _, m, k = r[:9]
            modes[(int(n), int(g), int(mt), int(u), int(m), int(k))][mode] = r
    pick = lambda by: by.get('even') or by.get('occ') or by.get('tiles') or next(iter(by.values()))
    return ceiling, read, {cfg: pick(by) for cfg, by in modes.items()}


def lab_best(rows):
    """{(m, k, n): the fastest correct line} of lab_rows' lines."""
    best = {}
    for (n, g, mt, u, m, k), r in rows.items():
        if float(r[13]) < 1e-2 and ((m, k, n) not in best or float(r[9]) < float(best[(m, k, n)][9])):
            best[(m, k, n)] = r
    return best


def lab_measure(path, device, min_mb):
    """The register kernel's lines (variant 'new-*') as --measure lines, one
    per (cell, row), bf16, weights >= min_mb MB."""
    _, _, rows = lab_rows(path, 'new')
    print('device,dtype,n,m,k,row,us,cublas_us,check')
    for (n, g, mt, u, m, k), r in sorted(rows.items(), key=lambda kv: (kv[0][4], kv[0][5], kv[0][0], kv[0][1:4])):
        if m * k * 2 < min_mb * 1e6:
            continue
        check = 'ok' if float(r[13]) < 1e-2 else 'wrong'
        print('%s,bf16,%d,%d,%d,n%d_w32_g%d_m%d_u%d,%s,%s,%s' % (device, n, m, k, n, g, mt, u, r[9], r[11], check))


def lab_table(path):
    """Per shape and N, the register kernel's best row: % of the ceiling,
    cuBLAS's %, speedup; then the speedups' minimum and geometric means."""
    ceiling, read, rows = lab_rows(path, 'new')
    best = lab_best(rows)
    ns = sorted({n for (_, _, n) in best})
    print('| M x K | MB | pure read at size, % | ' + ' | '.join('N = %d' % n for n in ns) + ' |')
    print('|---|---:|---:|' + '---|' * len(ns))
    speed = []
    for m, k in sorted({(m, k) for (m, k, _) in best}, key=lambda mk: mk[0] * mk[1]):
        cells = []
        for n in ns:
            r = best[(m, k, n)]
            us, blas = float(r[9]), float(r[11])
            gb = (m * k * 2 + 2 * n * (m + k)) / 1e3
            cells.append('%.0f / %.0f, %.2fx' % (gb / us / ceiling * 100, gb / blas / ceiling * 100, blas / us))
            speed.append((m * k * 2 / 1e6, blas / us))
        print('| %dx%d | %.0f | %.0f | %s |' % (m, k, m * k * 2 / 1e6, read[(m, k)] / ceiling * 100, ' | '.join(cells)))
    for lo in (0, 100):
        v = [x for mb, x in speed if mb >= lo]
        print('weights >= %d MB: %d cells, speedup min %.3f, geometric mean %.3f' % (lo, len(v), min(v), gm(v)))


def lab_vs(path, variant):
    """The best line of prototype `variant` over the register kernel's best,
    per cell (time ratio, above 1: the prototype faster), by N <= 8 / > 8."""
    _, _, base = lab_rows(path, 'new')
    _, _, proto = lab_rows(path, variant)
    b, p = lab_best(base), lab_best(proto)
    for name, keep in (('N <= 8', lambda n: n <= 8), ('N > 8', lambda n: n > 8)):
        v = [float(b[c][9]) / float(p[c][9]) for c in p if c in b and keep(c[2])]
        if v:
            print('%s: %d cells, prototype speed / register kernel: min %.3f, max %.3f' % (name, len(v), min(v), max(v)))
    wrong = sorted({(r[1], r[2], r[3], r[4], r[7], r[8]) for r in proto.values() if float(r[13]) >= 1e-2})
    for w in wrong:
        print('wrong results (rel err >= 1e-2): n %s g %s mt %s u %s, %sx%s' % w)


def path_of(name):
    """A CSV named as given, or else in bench/results."""
    return name if os.path.exists(name) else os.path.join(HERE, name)


def cells(name):
    """A skinny-bench CSV's rows by cell (dtype, m, k, n)."""
    return {(r['dtype'], int(r['m']), int(r['k']), int(r['n'])): r
            for r in csv.DictReader(open(path_of(name)))}


def ab_group(dt, n, m, k):
    """An A/B trial's cell class: dtype, N range, weights below / from 32 MB."""
    weight_bytes = m * k * (1 if dt.startswith('fp8w') else 2)
    return (dt, 'N = 1..8' if n <= 8 else 'N = 9..16', '>= 32 MB' if weight_bytes >= 32e6 else '< 32 MB')


def ceiling_shares(name):
    """Weights >= 100 MB: ours and cuBLAS's % of the read ceiling per N range, and
    the cells below the targets (92 % at every N, 95 % at N = 1..4)."""
    big = [r for r in cells(name).values() if 2 * int(r['m']) * int(r['k']) >= 100e6]
    for lo, hi in ((1, 4), (5, 8), (9, 16)):
        v = [r for r in big if lo <= int(r['n']) <= hi]
        ours = [float(r['pct_ceiling']) for r in v]
        blas = [float(r['pct_ceiling']) / float(r['speedup']) for r in v]
        print('  >= 100 MB, N = %d..%d: ours %.0f-%.0f %%, cuBLAS %.0f-%.0f %% of the ceiling' %
              (lo, hi, min(ours), max(ours), min(blas), max(blas)))
    below = [r for r in big if float(r['pct_ceiling']) < 92]
    print('  below 92 %%: %d of %d cells, shapes %s' % (len(below), len(big),
          sorted({'%sx%s' % (r['m'], r['k']) for r in below})))
    print('  below 95 %% at N = 1..4: shapes %s' % sorted(
        {'%sx%s' % (r['m'], r['k']) for r in big if int(r['n']) <= 4 and float(r['pct_ceiling']) < 95}))
    print('  below 1.00x cuBLAS: %s' % sorted('%s %sx%s N=%s %s' % (r['dtype'], r['m'], r['k'], r['n'], r['speedup'])
                                             for r in cells(name).values() if float(r['speedup']) < 1))
    # The bound a single launch meets: a pure read of one weight copy at the
    # cell's size (skinny-bench's read-at-size column), against the ceiling.
    if big and big[0].get('pct_read_at_size'):
        print('  per shape, N = 1..4 / 5..8 / 9..16: a pure read at size, ours, cuBLAS (% of the ceiling);'
              ' ours as % of the read at size')
        for mk in sorted({(int(r['m']), int(r['k'])) for r in big}, key=lambda t: t[0] * t[1]):
            v = [r for r in big if (int(r['m']), int(r['k'])) == mk]
            read = [float(r['pct_ceiling']) * 100 / float(r['pct_read_at_size']) for r in v]
            parts = []
            for lo, hi in ((1, 4), (5, 8), (9, 16)):
                w = [r for r in v if lo <= int(r['n']) <= hi]
                ours = [float(r['pct_ceiling']) for r in w]
                blas = [float(r['pct_ceiling']) / float(r['speedup']) for r in w]
                rel = [float(r['pct_read_at_size']) for r in w]
                parts.append('ours %.0f-%.0f, cuBLAS %.0f-%.0f, ours/read %.0f-%.0f' %
                             (min(ours), max(ours), min(blas), max(blas), min(rel), max(rel)))
            print('    %dx%d: read at size %.0f-%.0f; %s' % (mk + (min(read), max(read)) + ('; '.join(parts),)))


def fp8(name):
    """The README's fp8 table: per weights / output dtype and x kind, the speedup over
    16-bit cuBLAS and over cuBLASLt fp8, and % of the ceiling on weights >= 100 MB."""
    rows = list(cells(name).values())
    for dt in ('fp8w-bf16', 'fp8w-fp16'):
        rs = [r for r in rows if r['dtype'] == dt]
        big = sorted({(int(r['m']), int(r['k'])) for r in rs if int(r['m']) * int(r['k']) >= 100e6})
        for x, us, lt, pc in (('16-bit x', 'skinny_us', 'speedup_vs_lt', 'pct_ceiling'),
                              ('fp8 x', 'x8_us', 'x8_speedup_vs_lt', 'x8_pct_ceiling')):
            sp = [float(r['cublas_us']) / float(r[us]) for r in rs]
            vl = [float(r[lt]) for r in rs if r[lt] not in ('', 'nan')]
            share = {(int(r['m']), int(r['k']), int(r['n'])): float(r[pc]) for r in rs}
            print('%s, %s: vs 16-bit cuBLAS min %.2f, gm %.2f, >= 1.6x %d of %d | vs cuBLASLt min %.2f, gm %.2f, '
                  '>= 1.0x %d of %d | %% ceiling N = 1/8/9/16: %s' %
                  (dt, x, min(sp), gm(sp), sum(v >= 1.6 for v in sp), len(sp), min(vl), gm(vl),
                   sum(v >= 1 for v in vl), len(vl),
                   '; '.join('%dx%d %s' % (m, k, '/'.join('%.0f' % share[(m, k, n)] for n in (1, 8, 9, 16)))
                             for m, k in big)))


def h100_runs():
    """The H100 runs of 2026-12-06 (README, "Results: NVIDIA H100"): 04:45 (131-row
    table, h100-graph.csv), 05:10 (first 123-row table: h100-table123-*) and 06:44
    (the committed table: h100-0644-*, h100-0644-dispatch.def)."""
    t = collections.defaultdict(dict)
    for r in csv.DictReader(open(os.path.join(HERE, 'h100-measure-table123.csv'))):
        if r['check'] == 'ok':
            t[(r['dtype'], int(r['m']), int(r['k']), int(r['n']))][r['row']] = (float(r['us']), float(r['cublas_us']))
    best = [v[1] / v[0] for v in (min(c.values()) for c in t.values())]
    print('05:10 tune, best row per cell: %d cells, geometric mean %.3f, min %.3f, below 1.00x: %d' %
          (len(best), gm(best), min(best), sum(x < 1 for x in best)))

    old, new = cells('h100-graph.csv'), cells('h100-table123-graph.csv')
    # The committed table: the 05:10 table but for its unroll-1 two-tile 8-wave rows at
    # N = 12..14, replaced by the unroll-2 rows the 04:45 run ran in those cells.
    committed, swapped = {}, 0
    for c, r in new.items():
        if '_m2_u1' in r['kernel']:
            assert old[c]['kernel'] == r['kernel'].replace('_u1', '_u2'), (c, old[c]['kernel'])
            r, swapped = old[c], swapped + 1
        committed[c] = float(r['speedup'])
    for lo, hi in ((1, 16), (1, 8), (9, 16)):
        v = [x for c, x in committed.items() if lo <= c[3] <= hi]
        print('committed table assembled from 05:10 cells (%d from 04:45; superseded by the 06:44 run), '
              'N = %d..%d: geometric mean %.3f, min %.3f, below 1.00x: %d' %
              (swapped, lo, hi, gm(v), min(v), sum(x < 1 for x in v)))
    for shape in sorted({c[1:3] for c in new}, key=lambda s: s[0] * s[1]):
        v = [float(old[c]['skinny_us']) / float(r['skinny_us']) for c, r in new.items()
             if c[1:3] == shape and c[3] > 8 and '_m2_u1' not in r['kernel']]
        if v:
            print('%dx%d, N > 8, 05:10 speed / 04:45 speed: min %.3f, max %.3f' % (shape + (min(v), max(v))))
    # 06:44: the tune step's best row per cell (the rules' comments) and the
    # heuristic's time in the graph step over it (same call, two invocations).
    best = {}
    for line in open(os.path.join(HERE, 'h100-0644-dispatch.def')):
        m = re.match(r'MEASURED\(\w+, (\d+), \d+, (\w+), (\d+), (\d+), (\w+)\)\s*// best ([\d.]+) us, BLAS ([\d.]+) us',
                     line)
        if m:
            best[(m[2], int(m[3]), int(m[4]), int(m[1]))] = (float(m[6]), float(m[7]))
    b = [v[1] / v[0] for v in best.values()]
    heur = [float(r['skinny_us']) / best[c][0] for c, r in cells('h100-0644-graph.csv').items()]
    print('06:44 tune, best row per cell: %d cells, geometric mean %.3f, min %.3f; heuristic / best: '
          'worst %.3f' % (len(b), gm(b), min(b), max(heur)))
    print('06:44 graph (h100-0644-graph.csv):')
    ceiling_shares('h100-0644-graph.csv')
    for name in ('h100-decode-graph.csv', 'h100-0644-decode-graph.csv'):
        llama_decode(name)


def llama_decode(name):
    """Decode steps: each model's speedup per N range; Llama-3-8B, N = 1..8: what
    1.10x over cuBLAS would need."""
    print(name + ':')
    rows = [r for r in csv.DictReader(open(os.path.join(HERE, name))) if r['part'] == 'step']
    for model in sorted({r['model'] for r in rows}):
        for lo, hi in ((1, 8), (9, 16)):
            v = [float(r['speedup']) for r in rows if r['model'] == model and lo <= int(r['n']) <= hi]
            print('%s, N = %d..%d: %.3f-%.3fx cuBLAS' % (model, lo, hi, min(v), max(v)))
    dec = [r for r in csv.DictReader(open(os.path.join(HERE, name)))
           if r['model'] == 'llama3-8b' and int(r['n']) <= 8]
    steps = [r for r in dec if r['part'] == 'step']
    blas = [float(r['pct_ceiling']) * float(r['ours_us']) / float(r['cublas_us']) for r in steps]
    print('llama3-8b decode, N = 1..8: cuBLAS step at %.1f-%.1f %% of the ceiling (1.10x needs %.1f-%.1f %%); '
          'ours %.1f-%.1f %%' % (min(blas), max(blas), 1.1 * min(blas), 1.1 * max(blas),
                                 min(float(r['pct_ceiling']) for r in steps), max(float(r['pct_ceiling']) for r in steps)))
    for part in ('qkv', 'o', 'gate_up', 'down', 'lm_head'):
        v = [float(r['pct_ceiling']) for r in dec if r['part'] == part]
        print('  %s: ours %.1f-%.1f %% of the ceiling' % (part, min(v), max(v)))


def pdl_trial():
    """The programmatic-dependent-launch trial (bench/lab/pdl-trial.patch), one H100,
    07:06 UTC: the trial build's plain and flagged launches against the committed code."""
    base, trial = cells('h100-pdl-trial-base-graph.csv'), cells('h100-pdl-trial-graph.csv')
    print('320 cells vs cuBLAS (base run): committed %.3f, PDL %.3f' %
          (gm([float(r['speedup']) for r in base.values()]),
           gm([float(base[c]['cublas_us']) / float(r['pdl_us']) for c, r in trial.items()])))
    for shape in sorted({c[1:3] for c in base}, key=lambda s: s[0] * s[1]):
        for lo, hi in ((1, 8), (9, 16)):
            cs = [c for c in base if c[1:3] == shape and lo <= c[3] <= hi]
            plain = [float(base[c]['skinny_us']) / float(trial[c]['skinny_us']) for c in cs]
            pdl = [float(base[c]['skinny_us']) / float(trial[c]['pdl_us']) for c in cs]
            print('%dx%d N = %d..%d: trial plain / committed %.3f-%.3f; PDL / committed %.3f-%.3f' %
                  (shape + (lo, hi, min(plain), max(plain), min(pdl), max(pdl))))
    def step_us(name):
        return {int(r['n']): float(r['ours_us']) for r in csv.DictReader(open(os.path.join(HERE, name)))
                if r['model'] == 'llama3-8b' and r['dtype'] == 'bf16' and r['part'] == 'step'}
    base_us, trial_us = step_us('h100-pdl-trial-base-decode-graph.csv'), step_us('h100-pdl-trial-decode-graph.csv')
    for lo, hi in ((1, 8), (9, 16)):
        v = [trial_us[n] / base_us[n] for n in range(lo, hi + 1)]
        print('llama3-8b bf16 step, N = %d..%d: trial plain / committed time %.3f-%.3f' % (lo, hi, min(v), max(v)))
    for name in ('h100-pdl-trial-base-decode-graph.csv', 'h100-pdl-trial-decode-graph.csv'):
        steps = [r for r in csv.DictReader(open(os.path.join(HERE, name)))
                 if r['model'] == 'llama3-8b' and r['dtype'] == 'bf16' and r['part'] == 'step']
        for lo, hi in ((1, 8), (9, 16)):
            v = [r for r in steps if lo <= int(r['n']) <= hi]
            line = '%s llama3-8b bf16 N = %d..%d: step %.1f-%.1f us, %.3f-%.3fx cuBLAS' % (
                name, lo, hi, min(float(r['ours_us']) for r in v), max(float(r['ours_us']) for r in v),
                min(float(r['speedup']) for r in v), max(float(r['speedup']) for r in v))
            if 'pdl_us' in v[0]:
                line += '; PDL %.3f-%.3fx' % (min(float(r['pdl_speedup']) for r in v), max(float(r['pdl_speedup']) for r in v))
            print(line)


def fp8_kernel():
    def best(t, cell):
        return min(t[cell].values())
    def classes(cells):
        for dt in ('fp8w-bf16', 'fp8w-fp16'):
            for lo, hi in ((1, 8), (9, 16)):
                yield dt, lo, hi, [c for c in cells if c[0] == dt and lo <= c[3] <= hi]
    before = load_measure(['h100-fp8-candidates-measure-before.csv'])
    late = load_measure(['h100-fp8-candidates-measure.csv'])
    print('x read late against held in the pipeline, best row per cell (before / late time):')
    for dt, lo, hi, cs in classes(sorted(late)):
        v = [best(before, c) / best(late, c) for c in cs]
        print('  %s N = %d..%d: gm %.4f, min %.3f, max %.3f' % (dt, lo, hi, gm(v), min(v), max(v)))
    print('two tiles against one (late kernel), best row of each (two / one time), per shape:')
    for shape in sorted({c[1:3] for c in late}, key=lambda s: s[0] * s[1]):
        v = []
        for c in (c for c in late if c[1:3] == shape):
            rows = [parse(r) for r in late[c]]
            one = min(late[c][r['name']] for r in rows if r['mt'] == 1)
            two = min(late[c][r['name']] for r in rows if r['mt'] == 2)
            v.append(two / one)
        print('  %dx%d: gm %.3f, min %.3f, max %.3f' % (shape + (gm(v), min(v), max(v))))
    table = [(g, 1, 2) for g in (4, 8, 16)]
    v, worst = [], (0, None)
    for c in late:
        rows = [parse(r) for r in late[c] if tuple(parse(r)[x] for x in ('g', 'mt', 'u')) in table]
        r = pick(rows, c[1], c[2], True)
        ratio = late[c][r['name']] / best(late, c)
        v.append(ratio)
        worst = max(worst, (ratio, c + (r['name'],)))
    print('heuristic on the table\'s fp8 rows (one tile, unroll 2, 4/8/16 waves) against the best of '
          'all candidates: gm %.4f, worst %.3f %s' % (gm(v), worst[0], worst[1]))
    def reps(name):
        t = collections.defaultdict(lambda: collections.defaultdict(lambda: float('inf')))
        for r in csv.DictReader(open(os.path.join(HERE, name))):
            cell = (r['dtype'], int(r['m']), int(r['k']), int(r['n']))
            t[cell][r['row']] = min(t[cell][r['row']], float(r['us']))
        return t
    integer, hw = reps('h100-fp8-decode-integer-measure.csv'), reps('h100-fp8-decode-hw-measure.csv')
    print('bf16 decode: integer / hardware time, faster of two runs each (fp16 x: unchanged code):')
    for dt, lo, hi, cs in classes(sorted(hw)):
        same = [integer[c][r] / hw[c][r] for c in cs for r in hw[c]]
        bests = [min(integer[c].values()) / min(hw[c].values()) for c in cs]
        print('  %s N = %d..%d: same row gm %.4f (min %.3f, max %.3f); best row gm %.4f (min %.3f, max %.3f)' %
              (dt, lo, hi, gm(same), min(same), max(same), gm(bests), min(bests), max(bests)))


def targets(graph, decode=None):
    summary([path_of(graph)])
    ceiling_shares(graph)
    if decode:
        llama_decode(decode)


def shape(name, mk):
    m, k = (int(v) for v in mk.split('x'))
    rows = [r for r in csv.DictReader(open(path_of(name))) if int(r['m']) == m and int(r['k']) == k]
    for dt in sorted({r['dtype'] for r in rows}):
        v = sorted((int(r['n']), r) for r in rows if r['dtype'] == dt)
        print('%s %s: %s' % (dt, mk, ' '.join('%d:%s %.3fx %.0f%%' % (n, r['kernel'], float(r['speedup']),
                                                                     float(r['pct_ceiling'])) for n, r in v)))


def ab(base_name, variant_name, pattern=None):
    def rows(name):
        t = collections.defaultdict(dict)
        for r in csv.DictReader(open(path_of(name))):
            if pattern and not re.search(pattern, r['row']):
                continue
            t[(r['dtype'], int(r['n']), int(r['m']), int(r['k']))][r['row']] = float(r['us'])
        return t
    base, var = rows(base_name), rows(variant_name)
    cells = sorted(set(base) & set(var))
    groups = collections.defaultdict(lambda: ([], []))
    for c in cells:
        g = groups[ab_group(*c)]
        g[0].append(min(base[c].values()) / min(var[c].values()))
        g[1].extend(base[c][r] / var[c][r] for r in base[c] if r in var[c])
    print('base / variant time (> 1: variant faster), best row per cell; same row:')
    for key in sorted(groups):
        best, same = groups[key]
        print('  %s %s %s: %d cells, best gm %.4f (min %.3f, max %.3f); same row gm %.4f (min %.3f, max %.3f)' %
              (key + (len(best), gm(best), min(best), max(best), gm(same), min(same), max(same))))
    allbest = [x for g in groups.values() for x in g[0]]
    print('  all: %d cells, best gm %.4f (min %.3f, max %.3f)' % (len(allbest), gm(allbest), min(allbest), max(allbest)))


def tune_ab(base_name, variant_name):
    """Two builds' skinny-bench --tune tables (--out CSV: the heuristic's row and the
    cell's best row) on one machine: base / variant time per cell (> 1: variant faster)."""
    base, var = cells(base_name), cells(variant_name)
    groups = collections.defaultdict(lambda: ([], []))
    for c in sorted(set(base) & set(var)):
        dt, m, k, n = c
        g = groups[ab_group(dt, n, m, k)]
        g[0].append(float(base[c]['skinny_us']) / float(var[c]['skinny_us']))
        g[1].append(float(base[c]['best_us']) / float(var[c]['best_us']))
    print('base / variant time (> 1: variant faster): heuristic row; best row per cell')
    for key in sorted(groups):
        h, b = groups[key]
        print('  %s %s %s: %d cells, heuristic gm %.4f (min %.3f, max %.3f); best gm %.4f (min %.3f, max %.3f)' %
              (key + (len(h), gm(h), min(h), max(h), gm(b), min(b), max(b))))

if __name__ == '__main__':
    if len(sys.argv) >= 3 and sys.argv[1] == 'summary':
        summary(sys.argv[2:])
    elif sys.argv[1:] == ['invariant-choice']:
        invariant_choice()
    elif len(sys.argv) == 3 and sys.argv[1] == 'fp8':
        fp8(sys.argv[2])
    elif sys.argv[1:] == ['pdl-trial']:
        pdl_trial()
    elif sys.argv[1:] == ['fp8-kernel']:
        fp8_kernel()
    elif sys.argv[1:] == ['one-tile']:
        one_tile()
    elif len(sys.argv) == 5 and sys.argv[1] == 'lab-measure':
        lab_measure(sys.argv[2], sys.argv[3], float(sys.argv[4]))
    elif len(sys.argv) == 3 and sys.argv[1] == 'lab-table':
        lab_table(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == 'lab-vs':
        lab_vs(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == 'tune-ab':
        tune_ab(sys.argv[2], sys.argv[3])
    elif len(sys.argv) in (3, 4) and sys.argv[1] == 'targets':
        targets(*sys.argv[2:])
    elif len(sys.argv) == 4 and sys.argv[1] == 'shape':
        shape(sys.argv[2], sys.argv[3])
    elif len(sys.argv) in (4, 5) and sys.argv[1] == 'ab':
        ab(*sys.argv[2:])
    elif sys.argv[1:] == ['h100-runs']:
        h100_runs()
    else:
        sys.exit(__doc__)
