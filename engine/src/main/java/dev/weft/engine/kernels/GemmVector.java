package dev.weft.engine.kernels;

import java.util.function.IntConsumer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD path of {@link Gemm}: a BLIS-style packed, cache-blocked sgemm on the Vector API.
 *
 * <p>Loaded only when {@link VectorSupport#ENABLED} is true (it touches {@code jdk.incubator.vector}).
 *
 * <p>Structure (L = float lanes of the chosen species, 8 on AVX2, 16 on AVX-512):
 * <ul>
 *   <li>C is cut into tasks of {@code mcT x ncT} (at most MC x NCT, smaller with more threads so
 *       they balance; a call made inside another parallel call keeps them whole, as it runs on one
 *       thread); tasks run on {@link Parallel}. Every task walks the whole k range itself, in
 *       the same KC blocks, so an element of C is computed by the same operations in the same order
 *       whatever the thread count and tiling: results are bit-identical for any thread count.</li>
 *   <li>The k range is cut into equal blocks of at most KC. Per k block a task packs its rows of
 *       op(A) (the block, MC x KC, stays in L2) into MR-row slivers ({@code [kc][MR]}); a task
 *       at most {@code weft.gemm.directMaxCols} columns wide reads a row-major A in place instead
 *       (MR sequential row streams), unless its row stride is a multiple of 1 KB.
 *       Then for each NR-column sliver of op(B) the task packs that sliver ({@code [kc][NR]},
 *       read from L1 and L2) and runs the micro-kernel over all its MR-row slivers of A. A
 *       transposed B that several row tasks share is packed once per call instead, into a panel
 *       they all read ({@link #TRANSPOSED_PANEL_MAX}).</li>
 *   <li>The micro-kernel keeps an MR x NR tile of C in MR*2 vector registers (NR = 2L) and does one
 *       rank-1 update per k step: 2 vector loads of B, MR broadcasts of A, 2*MR FMAs.</li>
 *   <li>The micro-kernel stores its accumulators into a scratch tile; the task writes the tile back
 *       into C (alpha, beta, bias) with one branch-free vector loop per case (see {@link #writeBack}).
 *       Edge tiles: packing pads with zeros (A read in place repeats its last row), and their
 *       write-back, in scalar code, copies only the rows and columns inside C.</li>
 * </ul>
 *
 * <p>Tuning knobs (system properties, read once): {@code weft.vector.bits} (128/256/512, default the
 * preferred species), {@code weft.gemm.mr} (4, 6 or 8 rows per micro-tile; default 8 where the
 * preferred species is 512-bit, else 4), {@code weft.gemm.kc},
 * {@code weft.gemm.mc}, {@code weft.gemm.nc}, {@code weft.gemm.directMaxCols},
 * {@code weft.gemm.parallelMin}.
 */
final class GemmVector {
    private GemmVector() {}

    static final VectorSpecies<Float> SPECIES = chooseSpecies();
    /** Float lanes per vector. */
    static final int L = SPECIES.length();
    /** Rows of the micro-tile. */
    static final int MR = chooseMr();
    /** Columns of the micro-tile: two vectors. */
    static final int NR = 2 * L;
    /**
     * Largest depth of a k block; the k range is cut into equal blocks no deeper than this (784 →
     * 2 x 392, not 576 + 208). A packed B sliver, KC*NR floats, is read from L1 and L2; the A
     * block MC*KC floats stays in L2. 384 rather than 256: square 1024/2048 +10 % at 1 and 2
     * threads on Zen 5; 576 rather than 384: +0.4 to +12 % on all 12 rows of a 10-round A/B
     * (fewer passes over C when k is 577-1152), bench/README.md.
     */
    static final int KC = Math.max(16, Integer.getInteger("weft.gemm.kc", 576));
    /** Rows per task (multiple of MR). */
    static final int MC = Math.max(MR, Integer.getInteger("weft.gemm.mc", 256) / MR * MR);
    /** Columns per task (multiple of NR). */
    static final int NCT = Math.max(NR, Integer.getInteger("weft.gemm.nc", 1024) / NR * NR);
    /**
     * Tasks at most this wide read a row-major A in place instead of packing it: packing costs one
     * pass over the A block, repaid only when enough columns share it. Not when the row stride is a
     * multiple of 256 floats (1 KB) and the task is wider than two column slivers: then the MR rows
     * fall on a few L1 sets and evict each other (square 2048 at 1 thread on Zen 5: 125 GFLOP/s in
     * place, 155 packed; 512x784·784x128 in place 174 vs 154 packed, median of 6 JVMs each).
     */
    static final int DIRECT_A_MAX_COLS = Integer.getInteger("weft.gemm.directMaxCols", 256);
    /** Problems with fewer multiply-adds than this run as one task on the caller's thread. */
    static final long PARALLEL_MIN_MACS = Long.getLong("weft.gemm.parallelMin", 1L << 18);
    /** With several threads, split C into at least this many tasks per thread (dynamic balance). */
    private static final int MIN_TASKS_PER_THREAD = 4;
    /**
     * Splitting prefers rows: a task's columns are halved only while they are at least this many
     * times its rows. Narrower row blocks repack B (a vector copy), narrower column blocks repack A
     * (a scalar transpose); square 512 on 2 threads: 276 → 307 GFLOP/s with 4 instead of 1.
     */
    private static final int SPLIT_RATIO = 4;
    /** ... but not into tasks smaller than this many multiply-adds. */
    private static final long MIN_TASK_MACS = 1L << 16;
    /**
     * A transposed B (stored [n][k]) read by several row tasks is packed once per call into a panel
     * of this many floats at most (4 MB), which every task's micro-kernels read; packing it is a
     * scalar transpose, and each row task used to do it again (a 512x784·(128x784)^T product on 2
     * threads: 8 row tasks, 8 transposes of B, 650 µs against 420 µs with B stored [k][n]).
     */
    static final int TRANSPOSED_PANEL_MAX = 1 << 20;
    private static final ThreadScratch TRANSPOSED_PANEL = new ThreadScratch();

    private static VectorSpecies<Float> chooseSpecies() {
        VectorSpecies<Float> preferred = FloatVector.SPECIES_PREFERRED;
        String bits = System.getProperty("weft.vector.bits");
        if (bits == null) return preferred;
        VectorSpecies<Float> forced;
        switch (bits.trim()) {
            case "128": forced = FloatVector.SPECIES_128; break;
            case "256": forced = FloatVector.SPECIES_256; break;
            case "512": forced = FloatVector.SPECIES_512; break;
            default: return preferred;
        }
        // Wider than the hardware would be emulated and very slow: never go above the preferred width.
        return forced.vectorBitSize() <= preferred.vectorBitSize() ? forced : preferred;
    }

    private static int chooseMr() {
        // AVX-512 machines have 32 vector registers: 8 rows = 16 accumulators hide the FMA latency
        // better. With 16 registers (AVX2) 4 rows = 8 accumulators is the largest tile that does not spill.
        int fallback = FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512 ? 8 : 4;
        int mr = Integer.getInteger("weft.gemm.mr", fallback);
        return (mr == 4 || mr == 6 || mr == 8) ? mr : fallback;
    }

    /** Per-thread pack buffers and scratch tile, allocated once per thread. */
    private static final class Workspace {
        final float[] aPack = new float[MC * KC];
        final float[] bPack = new float[KC * NR];
        final float[] tile = new float[MR * NR];
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    /**
     * A left operand that is never stored as a matrix (e.g. the im2col matrix of a convolution): it
     * packs its own MR-row slivers when the GEMM asks for a block.
     */
    interface PackedA {
        /**
         * Packs A[i0 : i0+mc, pc : pc+kc] as {@link #packA} does: sliver s holds, for each p in [0, kc),
         * the MR values A[i0 + s*MR + r, pc + p] at {@code dst[s*kc*MR + p*MR + r]}; rows past mc are 0.
         * Called from several threads at once, with disjoint dst arrays.
         */
        void pack(int i0, int mc, int pc, int kc, float[] dst);
    }

    /**
     * A right operand that is never stored as a matrix (e.g. the im2col matrix of a convolution): it
     * packs its own NR-column slivers when the GEMM asks for one.
     */
    interface PackedB {
        /**
         * Packs B[pc : pc+kc, j : j+cols] as {@link #packB} does: {@code dst[p*NR + col]}, columns past
         * cols are 0. Called from several threads at once, with disjoint dst arrays.
         */
        void pack(int pc, int kc, int j, int cols, float[] dst);
    }

    /** One description of the current call, so the task body needs no capturing lambda per field. */
    private static final class Call {
        PackedA packedA;
        PackedB packedB;
        /** op(B) packed once for all tasks (see packTransposedPanel), or null; its slivers per k block. */
        float[] bPanel;
        int panelSlivers;
        /** Optional row vector added to every row of C by the first k block's write-back (null: none). */
        float[] bias;
        int biasOff;
        /** Whether the last k block's write-back applies max(x, 0) (a fused ReLU). */
        boolean relu;
        boolean transA, transB;
        int m, n, k;
        float alpha, beta;
        float[] a, b, c;
        int aOff, lda, bOff, ldb, cOff, ldc;
        int mcT, ncT, colBlocks;
        /** Depth of every k block but possibly the last. */
        int kc;
    }

    /**
     * Same contract as {@link Gemm#sgemm}; the caller has handled empty shapes, k == 0 and alpha == 0.
     */
    static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float alpha, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        run(storedCall(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc));
    }

    /** The description of a product of stored matrices. */
    private static Call storedCall(boolean transA, boolean transB, int m, int n, int k,
                                   float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                   float beta, float[] c, int cOff, int ldc) {
        Call call = new Call();
        call.transA = transA; call.transB = transB;
        call.m = m; call.n = n; call.k = k;
        call.alpha = alpha; call.beta = beta;
        call.a = a; call.aOff = aOff; call.lda = lda;
        call.b = b; call.bOff = bOff; call.ldb = ldb;
        call.c = c; call.cOff = cOff; call.ldc = ldc;
        return call;
    }

    /**
     * C = alpha·op(A)·op(B) + bias, bias [n] added to every row as the tiles are written back (no
     * separate pass over C), then max(C, 0) when {@code relu}, in the same write-back. Same
     * preconditions as the other form, with k > 0.
     */
    static void sgemmBias(boolean transA, boolean transB, int m, int n, int k,
                          float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                          float[] bias, int biasOff, float[] c, int cOff, int ldc, boolean relu) {
        Call call = storedCall(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, 0f, c, cOff, ldc);
        call.bias = bias;
        call.biasOff = biasOff;
        call.relu = relu;
        run(call);
    }

    /**
     * C [m, n] = A · B + beta·C with both operands supplied by packers (e.g. a convolution's implicit
     * im2col matrix); the same blocking, threading and bit-for-bit determinism as the stored-matrix form.
     */
    static void sgemm(PackedA a, PackedB b, int m, int n, int k, float beta, float[] c, int cOff, int ldc) {
        Call call = storedCall(false, false, m, n, k, 1f, null, 0, 0, null, 0, 0, beta, c, cOff, ldc);
        call.packedA = a;
        call.packedB = b;
        run(call);
    }

    private static void run(Call call) {
        int m = call.m, n = call.n, k = call.k;

        // Task grid. Unlike a reduction, it may depend on the thread count without changing a bit
        // of the result: every C element is computed by one task, over the same KC blocks in the
        // same order, whatever the tiling. One thread takes the largest tiles (least repacking).
        int mcT = Math.min(MC, roundUp(m, MR));
        int ncT = Math.min(NCT, roundUp(n, NR));
        long macs = (long) m * n * k;
        int threads = Parallel.threadsAvailable(); // 1 inside another parallel call: no splitting for nothing
        if (macs >= PARALLEL_MIN_MACS && threads > 1) {
            int minTasks = MIN_TASKS_PER_THREAD * threads;
            // Smaller tiles repack more (A once per column block, B once per row block): stop
            // splitting when a task would drop below ~64k multiply-adds.
            while (ceilDiv(m, mcT) * ceilDiv(n, ncT) < minTasks
                    && macs / (2L * ceilDiv(m, mcT) * ceilDiv(n, ncT)) >= MIN_TASK_MACS) {
                if (ncT > NR && ncT >= mcT * SPLIT_RATIO) ncT = roundUp(ncT / 2, NR);
                else if (mcT > MR) mcT = roundUp(mcT / 2, MR);
                else if (ncT > NR) ncT = roundUp(ncT / 2, NR);
                else break;
            }
        }
        call.mcT = mcT;
        call.ncT = ncT;
        // Equal k blocks: a thin last block would cost a whole extra pass over C for little work.
        call.kc = ceilDiv(k, ceilDiv(k, KC));
        call.colBlocks = ceilDiv(n, ncT);
        int tasks = ceilDiv(m, mcT) * call.colBlocks;
        if (call.transB && call.packedB == null && ceilDiv(m, mcT) > 1) packTransposedPanel(call, threads > 1 && macs >= PARALLEL_MIN_MACS);
        if (macs < PARALLEL_MIN_MACS || tasks == 1 || threads == 1) {
            for (int t = 0; t < tasks; t++) runTask(call, t);
        } else {
            Parallel.forEach(tasks, t -> runTask(call, t));
        }
    }

    /**
     * Packs every (k block, NR sliver) of a transposed op(B) once, into the calling thread's panel,
     * and makes the micro-kernels read their slivers there ({@link Call#bPanel}). The packed values are
     * those {@link #packB} would write, so results do not change by a bit. Skipped above
     * {@link #TRANSPOSED_PANEL_MAX} floats (each task then packs its own, as before).
     */
    private static void packTransposedPanel(Call call, boolean parallel) {
        int kc = call.kc, slivers = ceilDiv(call.n, NR), kBlocks = ceilDiv(call.k, kc);
        long size = (long) kBlocks * slivers * kc * NR;
        if (size > TRANSPOSED_PANEL_MAX) return;
        float[] panel = TRANSPOSED_PANEL.get((int) size);
        // Block (kb, s) holds op(B)[kb*kc : +kc, s*NR : +NR] as [kc][NR] at ((kb*slivers) + s)*kc*NR.
        IntConsumer fill = q -> {
            int pc = (q / slivers) * kc, j = (q % slivers) * NR;
            packB(call, pc, Math.min(kc, call.k - pc), j, Math.min(NR, call.n - j), panel, q * kc * NR);
        };
        if (parallel) Parallel.forEach(kBlocks * slivers, fill);
        else for (int q = 0; q < kBlocks * slivers; q++) fill.accept(q);
        call.bPanel = panel;
        call.panelSlivers = slivers;
    }

    /** Computes the C block of task t: rows [i0, i0+mc), columns [j0, j0+nc). */
    private static void runTask(Call call, int t) {
        Workspace ws = WORKSPACE.get();
        int i0 = (t / call.colBlocks) * call.mcT;
        int j0 = (t % call.colBlocks) * call.ncT;
        int mc = Math.min(call.mcT, call.m - i0);
        int nc = Math.min(call.ncT, call.n - j0);
        float[] aPack = ws.aPack, bPack = ws.bPack, tile = ws.tile;
        float[] c = call.c;
        int ldc = call.ldc;
        for (int pc = 0; pc < call.k; pc += call.kc) {
            int kc = Math.min(call.kc, call.k - pc);
            // The first k block applies the caller's beta (and the bias); later blocks add onto what it wrote.
            float beta = pc == 0 ? call.beta : 1f;
            float[] bias = pc == 0 ? call.bias : null;
            boolean relu = call.relu && pc + kc >= call.k;   // the activation follows the last block
            // A stored row-major is read in place when the task is narrow: packing (a scalar
            // transpose) would cost as much as the FMAs when few columns share it. Wide tasks pack,
            // and so do rows 1 KB apart, which fight over the same L1 sets, unless the task is so
            // narrow that packing would still cost more (64x2304·2304x256 on 2 threads: 32-column tasks).
            boolean direct = call.packedA == null && !call.transA && MR != 6 && nc <= DIRECT_A_MAX_COLS
                    && (call.lda % 256 != 0 || nc <= 2 * NR);
            if (call.packedA != null) call.packedA.pack(i0, mc, pc, kc, aPack);
            else if (!direct) packA(call, i0, mc, pc, kc, aPack);
            for (int jr = 0; jr < nc; jr += NR) {
                int cols = Math.min(NR, nc - jr);
                float[] b = bPack;
                int bOff = 0;
                if (call.bPanel != null) {
                    b = call.bPanel;
                    bOff = ((pc / call.kc) * call.panelSlivers + (j0 + jr) / NR) * call.kc * NR;
                } else if (call.packedB != null) call.packedB.pack(pc, kc, j0 + jr, cols, bPack);
                else packB(call, pc, kc, j0 + jr, cols, bPack);
                for (int ir = 0; ir < mc; ir += MR) {
                    int rows = Math.min(MR, mc - ir);
                    int cIdx = call.cOff + (i0 + ir) * ldc + j0 + jr;
                    int bIdx = call.biasOff + j0 + jr;
                    if (direct) {
                        int aRow = call.aOff + (i0 + ir) * call.lda + pc;
                        if (MR == 4) kernel4Direct(kc, call.a, aRow, call.lda, rows, b, bOff, tile, 0, NR);
                        else kernel8Direct(kc, call.a, aRow, call.lda, rows, b, bOff, tile, 0, NR);
                    } else {
                        int aIdx = ir * kc; // sliver ir/MR starts at (ir/MR)*kc*MR
                        if (MR == 4) kernel4(kc, aPack, aIdx, b, bOff, tile);
                        else if (MR == 6) kernel6(kc, aPack, aIdx, b, bOff, tile);
                        else kernel8(kc, aPack, aIdx, b, bOff, tile);
                    }
                    writeBack(tile, c, cIdx, ldc, call.alpha, beta, rows, cols, bias, bIdx, relu);
                }
            }
        }
    }

    /**
     * Packs op(A)[i0 : i0+mc, pc : pc+kc] into MR-row slivers: sliver s holds, for each p in [0, kc),
     * the MR values op(A)[i0 + s*MR + r, pc + p] at {@code dst[s*kc*MR + p*MR + r]}; rows past mc are 0.
     */
    private static void packA(Call call, int i0, int mc, int pc, int kc, float[] dst) {
        float[] a = call.a;
        int lda = call.lda;
        for (int s = 0; s * MR < mc; s++) {
            int base = s * kc * MR;
            int rows = Math.min(MR, mc - s * MR);
            if (!call.transA) {
                // A stored [m][k]: each row is contiguous in p; write it with stride MR.
                for (int r = 0; r < rows; r++) {
                    int src = call.aOff + (i0 + s * MR + r) * lda + pc;
                    for (int p = 0, d = base + r; p < kc; p++, d += MR) dst[d] = a[src + p];
                }
            } else if (rows == MR) {
                // A stored [k][m]: for each p the MR values are contiguous. A copy of MR floats, not an
                // MR-lane vector: JDK 17's C2 does not intrinsify vectors narrower than the preferred
                // width (20x slower), and on JDK 25 a deoptimised packer ran its vectors boxed in C1.
                for (int p = 0; p < kc; p++) {
                    System.arraycopy(a, call.aOff + (pc + p) * lda + i0 + s * MR, dst, base + p * MR, MR);
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = call.aOff + (pc + p) * lda + i0 + s * MR;
                    int d = base + p * MR;
                    for (int r = 0; r < rows; r++) dst[d + r] = a[src + r];
                }
            }
            if (rows < MR) {
                for (int p = 0; p < kc; p++) {
                    for (int r = rows; r < MR; r++) dst[base + p * MR + r] = 0f;
                }
            }
        }
    }

    /**
     * Packs op(B)[pc : pc+kc, j : j+cols] as {@code dst[p*NR + col]}; columns past cols are 0.
     */
    private static void packB(Call call, int pc, int kc, int j, int cols, float[] dst) { packB(call, pc, kc, j, cols, dst, 0); }

    /** {@link #packB} into {@code dst} from {@code off}. */
    private static void packB(Call call, int pc, int kc, int j, int cols, float[] dst, int off) {
        float[] b = call.b;
        int ldb = call.ldb;
        if (!call.transB) {
            // B stored [k][n]: each k row of the sliver is NR contiguous floats.
            int src = call.bOff + pc * ldb + j;
            if (cols == NR) {
                for (int p = 0; p < kc; p++, src += ldb) {
                    FloatVector.fromArray(SPECIES, b, src).intoArray(dst, off + p * NR);
                    FloatVector.fromArray(SPECIES, b, src + L).intoArray(dst, off + p * NR + L);
                }
            } else {
                for (int p = 0; p < kc; p++, src += ldb) {
                    int d = off + p * NR;
                    for (int x = 0; x < cols; x++) dst[d + x] = b[src + x];
                    for (int x = cols; x < NR; x++) dst[d + x] = 0f;
                }
            }
        } else {
            // B stored [n][k]: column j of op(B) is row j of the array, contiguous in p.
            for (int x = 0; x < cols; x++) {
                int src = call.bOff + (j + x) * ldb + pc;
                for (int p = 0, d = off + x; p < kc; p++, d += NR) dst[d] = b[src + p];
            }
            for (int x = cols; x < NR; x++) {
                for (int p = 0, d = off + x; p < kc; p++, d += NR) dst[d] = 0f;
            }
        }
    }

    // ---- micro-kernels: MR x 2L tile, accumulators c<row><vector> kept in registers ----

    /** 4 x 2L micro-kernel: 8 accumulators. a = packed A sliver [kc][4] at aIdx, b = packed B [kc][2L] at bOff. */
    private static void kernel4(int kc, float[] a, int aIdx, float[] b, int bOff, float[] tile) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = c00, c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int p = 0; p < kc; p++) {
            // Indices affine in p, so C2 can hoist the bounds checks out of the loop.
            int ai = aIdx + p * 4, bi = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bi + L);
            FloatVector av = FloatVector.broadcast(SPECIES, a[ai]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[ai + 1]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[ai + 2]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[ai + 3]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
        }
        // Accumulators go through the scratch tile: passing vectors to a helper that C2 might not
        // inline (node-count cutoff in the bigger kernels) would box them. The caller writes it back.
        c00.intoArray(tile, 0); c01.intoArray(tile, L);
        c10.intoArray(tile, NR); c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR); c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR); c31.intoArray(tile, 3 * NR + L);
    }

    /** 6 x 2L micro-kernel: 12 accumulators (needs 32 vector registers to avoid spills). */
    private static void kernel6(int kc, float[] a, int aIdx, float[] b, int bOff, float[] tile) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = c00, c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        for (int p = 0; p < kc; p++) {
            // Indices affine in p, so C2 can hoist the bounds checks out of the loop.
            int ai = aIdx + p * 6, bi = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bi + L);
            FloatVector av = FloatVector.broadcast(SPECIES, a[ai]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[ai + 1]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[ai + 2]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[ai + 3]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(SPECIES, a[ai + 4]);
            c40 = av.fma(b0, c40); c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(SPECIES, a[ai + 5]);
            c50 = av.fma(b0, c50); c51 = av.fma(b1, c51);
        }
        // Accumulators go through the scratch tile: passing vectors to a helper that C2 might not
        // inline (node-count cutoff in the bigger kernels) would box them. The caller writes it back.
        c00.intoArray(tile, 0); c01.intoArray(tile, L);
        c10.intoArray(tile, NR); c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR); c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR); c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR); c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR); c51.intoArray(tile, 5 * NR + L);
    }

    /** 8 x 2L micro-kernel: 16 accumulators (needs 32 vector registers to avoid spills). */
    private static void kernel8(int kc, float[] a, int aIdx, float[] b, int bOff, float[] tile) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = c00, c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        FloatVector c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        for (int p = 0; p < kc; p++) {
            // Indices affine in p, so C2 can hoist the bounds checks out of the loop.
            int ai = aIdx + p * 8, bi = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bi + L);
            FloatVector av = FloatVector.broadcast(SPECIES, a[ai]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[ai + 1]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[ai + 2]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[ai + 3]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(SPECIES, a[ai + 4]);
            c40 = av.fma(b0, c40); c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(SPECIES, a[ai + 5]);
            c50 = av.fma(b0, c50); c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(SPECIES, a[ai + 6]);
            c60 = av.fma(b0, c60); c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(SPECIES, a[ai + 7]);
            c70 = av.fma(b0, c70); c71 = av.fma(b1, c71);
        }
        // Accumulators go through the scratch tile: passing vectors to a helper that C2 might not
        // inline (node-count cutoff in the bigger kernels) would box them. The caller writes it back.
        c00.intoArray(tile, 0); c01.intoArray(tile, L);
        c10.intoArray(tile, NR); c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR); c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR); c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR); c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR); c51.intoArray(tile, 5 * NR + L);
        c60.intoArray(tile, 6 * NR); c61.intoArray(tile, 6 * NR + L);
        c70.intoArray(tile, 7 * NR); c71.intoArray(tile, 7 * NR + L);
    }

    /**
     * 4 x 2L micro-kernel reading A in place: rows aRow + r*lda (r < rows; missing rows of an edge
     * tile repeat the last row, and their results are not to be used), B packed [kc][2L] from bOff;
     * the 4 result rows go to out[outOff + r*ldo ...] (the GEMM passes its scratch tile, Winograd its
     * product block).
     */
    static void kernel4Direct(int kc, float[] a, int aRow, int lda, int rows, float[] b, int bOff,
                              float[] out, int outOff, int ldo) {
        int r0 = aRow, r1 = aRow + Math.min(1, rows - 1) * lda;
        int r2 = aRow + Math.min(2, rows - 1) * lda, r3 = aRow + Math.min(3, rows - 1) * lda;
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = c00, c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bi + L);
            FloatVector av = FloatVector.broadcast(SPECIES, a[r0 + p]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[r1 + p]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[r2 + p]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[r3 + p]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
        }
        c00.intoArray(out, outOff); c01.intoArray(out, outOff + L);
        c10.intoArray(out, outOff + ldo); c11.intoArray(out, outOff + ldo + L);
        c20.intoArray(out, outOff + 2 * ldo); c21.intoArray(out, outOff + 2 * ldo + L);
        c30.intoArray(out, outOff + 3 * ldo); c31.intoArray(out, outOff + 3 * ldo + L);
    }

    /** 8 x 2L micro-kernel reading A in place (see {@link #kernel4Direct}). */
    static void kernel8Direct(int kc, float[] a, int aRow, int lda, int rows, float[] b, int bOff,
                              float[] out, int outOff, int ldo) {
        int last = rows - 1;
        int r0 = aRow, r1 = aRow + Math.min(1, last) * lda, r2 = aRow + Math.min(2, last) * lda;
        int r3 = aRow + Math.min(3, last) * lda, r4 = aRow + Math.min(4, last) * lda;
        int r5 = aRow + Math.min(5, last) * lda, r6 = aRow + Math.min(6, last) * lda;
        int r7 = aRow + Math.min(7, last) * lda;
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = c00, c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        FloatVector c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bi + L);
            FloatVector av = FloatVector.broadcast(SPECIES, a[r0 + p]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(SPECIES, a[r1 + p]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(SPECIES, a[r2 + p]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(SPECIES, a[r3 + p]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(SPECIES, a[r4 + p]);
            c40 = av.fma(b0, c40); c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(SPECIES, a[r5 + p]);
            c50 = av.fma(b0, c50); c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(SPECIES, a[r6 + p]);
            c60 = av.fma(b0, c60); c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(SPECIES, a[r7 + p]);
            c70 = av.fma(b0, c70); c71 = av.fma(b1, c71);
        }
        c00.intoArray(out, outOff); c01.intoArray(out, outOff + L);
        c10.intoArray(out, outOff + ldo); c11.intoArray(out, outOff + ldo + L);
        c20.intoArray(out, outOff + 2 * ldo); c21.intoArray(out, outOff + 2 * ldo + L);
        c30.intoArray(out, outOff + 3 * ldo); c31.intoArray(out, outOff + 3 * ldo + L);
        c40.intoArray(out, outOff + 4 * ldo); c41.intoArray(out, outOff + 4 * ldo + L);
        c50.intoArray(out, outOff + 5 * ldo); c51.intoArray(out, outOff + 5 * ldo + L);
        c60.intoArray(out, outOff + 6 * ldo); c61.intoArray(out, outOff + 6 * ldo + L);
        c70.intoArray(out, outOff + 7 * ldo); c71.intoArray(out, outOff + 7 * ldo + L);
    }

    /**
     * C[0:rows, 0:cols] = alpha*tile + beta*C (+ bias[bIdx : bIdx+cols] on every row when bias is not
     * null; then max(·, 0) when relu), tile being [MR][NR]; beta == 0 never reads C (old NaNs are dropped).
     *
     * <p>The cases are chosen here, in scalar code, and each vector loop below has no branch but its
     * row loop. With the choices inside one vector method, the first bias or edge tile C2 had not
     * seen deoptimised it back to C1, where vector operations are boxed objects, and it stayed there
     * for seconds: ResNet-18 training on 2 threads spent ~20 % of its time and a third of its
     * allocations in the write-back (JFR, bench/MODELS.md).
     */
    private static void writeBack(float[] tile, float[] c, int cIdx, int ldc, float alpha, float beta,
                                  int rows, int cols, float[] bias, int bIdx, boolean relu) {
        // relu comes only with sgemmBias: its first k block has the bias, later ones accumulate.
        if (cols < NR) writeBackEdge(tile, c, cIdx, ldc, alpha, beta, rows, cols, bias, bIdx, relu);
        else if (bias != null) {
            if (relu) storeTileBiasRelu(tile, c, cIdx, ldc, alpha, rows, bias, bIdx); // one k block
            else storeTileBias(tile, c, cIdx, ldc, alpha, rows, bias, bIdx);          // sgemmBias's first k block, beta 0
        }
        else if (beta == 0f) storeTile(tile, c, cIdx, ldc, alpha, rows);
        else if (relu) accumulateTileRelu(tile, c, cIdx, ldc, alpha, beta, rows);
        else accumulateTile(tile, c, cIdx, ldc, alpha, beta, rows);
    }

    /** C = alpha*tile over full-width rows. */
    private static void storeTile(float[] tile, float[] c, int cIdx, int ldc, float alpha, int rows) {
        for (int r = 0; r < rows; r++) {
            int ci = cIdx + r * ldc;
            FloatVector.fromArray(SPECIES, tile, r * NR).mul(alpha).intoArray(c, ci);
            FloatVector.fromArray(SPECIES, tile, r * NR + L).mul(alpha).intoArray(c, ci + L);
        }
    }

    /** C = alpha*tile + bias over full-width rows. */
    private static void storeTileBias(float[] tile, float[] c, int cIdx, int ldc, float alpha, int rows,
                                      float[] bias, int bIdx) {
        FloatVector bias0 = FloatVector.fromArray(SPECIES, bias, bIdx);
        FloatVector bias1 = FloatVector.fromArray(SPECIES, bias, bIdx + L);
        for (int r = 0; r < rows; r++) {
            int ci = cIdx + r * ldc;
            FloatVector.fromArray(SPECIES, tile, r * NR).mul(alpha).add(bias0).intoArray(c, ci);
            FloatVector.fromArray(SPECIES, tile, r * NR + L).mul(alpha).add(bias1).intoArray(c, ci + L);
        }
    }

    /** C = max(alpha*tile + bias, 0) over full-width rows (NaN stays NaN, as in the ReLU op). */
    private static void storeTileBiasRelu(float[] tile, float[] c, int cIdx, int ldc, float alpha, int rows,
                                          float[] bias, int bIdx) {
        FloatVector bias0 = FloatVector.fromArray(SPECIES, bias, bIdx);
        FloatVector bias1 = FloatVector.fromArray(SPECIES, bias, bIdx + L);
        FloatVector zero = FloatVector.zero(SPECIES);
        for (int r = 0; r < rows; r++) {
            int ci = cIdx + r * ldc;
            FloatVector v0 = FloatVector.fromArray(SPECIES, tile, r * NR).mul(alpha).add(bias0);
            FloatVector v1 = FloatVector.fromArray(SPECIES, tile, r * NR + L).mul(alpha).add(bias1);
            v0.blend(zero, v0.compare(VectorOperators.LE, 0f)).intoArray(c, ci);
            v1.blend(zero, v1.compare(VectorOperators.LE, 0f)).intoArray(c, ci + L);
        }
    }

    /** C = max(alpha*tile + beta*C, 0) over full-width rows. */
    private static void accumulateTileRelu(float[] tile, float[] c, int cIdx, int ldc, float alpha, float beta, int rows) {
        FloatVector zero = FloatVector.zero(SPECIES);
        for (int r = 0; r < rows; r++) {
            int ci = cIdx + r * ldc;
            FloatVector v0 = FloatVector.fromArray(SPECIES, tile, r * NR).mul(alpha).add(FloatVector.fromArray(SPECIES, c, ci).mul(beta));
            FloatVector v1 = FloatVector.fromArray(SPECIES, tile, r * NR + L).mul(alpha).add(FloatVector.fromArray(SPECIES, c, ci + L).mul(beta));
            v0.blend(zero, v0.compare(VectorOperators.LE, 0f)).intoArray(c, ci);
            v1.blend(zero, v1.compare(VectorOperators.LE, 0f)).intoArray(c, ci + L);
        }
    }

    /** C = alpha*tile + beta*C over full-width rows. */
    private static void accumulateTile(float[] tile, float[] c, int cIdx, int ldc, float alpha, float beta, int rows) {
        for (int r = 0; r < rows; r++) {
            int ci = cIdx + r * ldc;
            FloatVector t0 = FloatVector.fromArray(SPECIES, tile, r * NR).mul(alpha);
            FloatVector t1 = FloatVector.fromArray(SPECIES, tile, r * NR + L).mul(alpha);
            t0.add(FloatVector.fromArray(SPECIES, c, ci).mul(beta)).intoArray(c, ci);
            t1.add(FloatVector.fromArray(SPECIES, c, ci + L).mul(beta)).intoArray(c, ci + L);
        }
    }

    /** The write-back of a tile narrower than NR, in scalar code. */
    private static void writeBackEdge(float[] tile, float[] c, int cIdx, int ldc, float alpha, float beta,
                                      int rows, int cols, float[] bias, int bIdx, boolean relu) {
        for (int r = 0; r < rows; r++) {
            int ci = cIdx + r * ldc;
            for (int x = 0; x < cols; x++) {
                float v = alpha * tile[r * NR + x];
                if (beta != 0f) v += beta * c[ci + x];
                if (bias != null) v += bias[bIdx + x];
                c[ci + x] = relu && v <= 0f ? 0f : v;
            }
        }
    }

    private static int ceilDiv(int x, int y) { return (x + y - 1) / y; }

    private static int roundUp(int x, int multiple) { return ceilDiv(x, multiple) * multiple; }

    /** A one-line description of the configuration, for benchmark output. */
    static String describe() {
        return "vector " + SPECIES.vectorBitSize() + "-bit (" + L + " lanes), micro-tile " + MR + "x" + NR
                + ", KC=" + KC + ", MC=" + MC + ", NC=" + NCT + ", in-place A up to " + DIRECT_A_MAX_COLS + " columns";
    }
}
