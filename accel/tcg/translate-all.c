/*
 * The code cache: one large executable buffer that translation blocks
 * are emitted into one after another, the hash table that finds a block
 * by (physical pc, pc, cs_base, flags, cflags), the per-page lists of
 * blocks that writes to guest code invalidate, direct chaining between
 * blocks, and the map from a host pc back to the guest instruction.
 *
 * When the buffer is full everything is thrown away and translation
 * starts again from the beginning of it; the default size (512 MiB) is
 * chosen so that a boot never gets there.
 *
 * Locking: tb_lock (recursive: the TLB asks whether a page holds code
 * while a block is being translated) guards everything here; the vCPU
 * loop takes the big lock before it (translation may read MMIO), and
 * nothing here takes the big lock with tb_lock held.  The jump caches
 * are read without a lock; entries are only ever cleared by others.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <sys/mman.h>
#include "util/log.h"
#include "disas/disas.h"
#include "accel/tcg/internal.h"
#include "accel/tcg/tcg-backend.h"

#define DEFAULT_CODE_GEN_BUFFER_SIZE (512u * 1024 * 1024)
#define MIN_CODE_GEN_BUFFER_SIZE (1u * 1024 * 1024)
/* Room a block is sure to need at least before it is worth trying. */
#define TB_MIN_ROOM (128u * 1024)

typedef struct TBPageRange {
    hwaddr page;                 /* guest physical page */
    hwaddr start, end;           /* bytes of the block in it */
} TBPageRange;

typedef struct TBInfo {
    TranslationBlock tb;         /* first: tb->priv points back here */
    TBPageRange *pages;
    int nb_pages;
    TranslationBlock *jmp_dest[2];
    GSList *jmp_incoming;        /* (TBInfo * | slot) jumping here */
    uint8_t *restore;            /* per insn: pc, data, host end deltas */
    int nb_insns;
} TBInfo;

typedef struct PageDesc {
    hwaddr page;                 /* the key */
    GPtrArray *tbs;              /* TBInfo * with code in the page */
} PageDesc;

static GRecMutex tb_lock;
static uint8_t *code_gen_buffer;
static size_t code_gen_buffer_size;
static uint8_t *code_gen_start;  /* after the prologue */
static uint8_t *code_gen_ptr;
static GHashTable *tb_htable;    /* TBInfo * -> itself */
static GHashTable *page_table;   /* hwaddr * -> PageDesc * */
static GPtrArray *tb_by_host;    /* TBInfo *, in code order */
/* Chained jumps to a block on another guest page (TBInfo * | slot): the
 * chained jump skips the TLB's fetch check of that page, so every TLB
 * flush resets them (entries whose link is gone already are skipped). */
static GPtrArray *cross_page_jumps;
unsigned tb_flush_count;
static unsigned tb_invalidate_count;   /* for info jit */

static inline uintptr_t align_up(uintptr_t x, uintptr_t a)
{
    return (x + a - 1) & ~(a - 1);
}

static inline TBInfo *tb_info(const TranslationBlock *tb)
{
    return (TBInfo *)tb->priv;
}

static guint tb_hash(gconstpointer key);
static gboolean tb_equal(gconstpointer a, gconstpointer b);

/* ---- the buffer ---- */

bool tcg_code_cache_init(size_t size, Error **errp)
{
    size_t want = size ? size : DEFAULT_CODE_GEN_BUFFER_SIZE;
    size_t used;
    void *buf = MAP_FAILED;

    if (code_gen_buffer) {
        return true;
    }
    /* Without an explicit size, settle for what the host can give. */
    while (want >= MIN_CODE_GEN_BUFFER_SIZE) {
        buf = mmap(NULL, want, PROT_READ | PROT_WRITE | PROT_EXEC,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (buf != MAP_FAILED || size) {
            break;
        }
        want /= 2;
    }
    if (buf == MAP_FAILED) {
        error_setg_errno(errp, errno, "tcg: cannot map a %zu MiB "
                         "executable code buffer (tb-size)",
                         want >> 20);
        return false;
    }
    /* Translation writes the buffer front to back: with transparent huge
     * pages the kernel faults it in 2 MiB at a time instead of 4 KiB
     * (a tenth of code-heavy runs went to those faults).  Advice only:
     * a kernel without THP refuses it and nothing changes. */
    madvise(buf, want, MADV_HUGEPAGE);
    code_gen_buffer = buf;
    code_gen_buffer_size = want;
    used = tcg_target_emit_prologue(code_gen_buffer, code_gen_buffer_size);
    code_gen_start = code_gen_buffer + align_up(used, 64);
    code_gen_ptr = code_gen_start;
    tb_htable = g_hash_table_new(tb_hash, tb_equal);
    page_table = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL,
                                       NULL);
    tb_by_host = g_ptr_array_new();
    cross_page_jumps = g_ptr_array_new();
    return true;
}

void tcg_exec_init_target(const TCGCPUOps *ops)
{
    static bool done;

    if (done) {
        return;
    }
    done = true;
    tcg_context_init();
    tcg_env_offset = ops->env_offset;
    tcg_ctx->tlb_offset = -(intptr_t)sizeof(CPUTLB);
    tcg_ctx->exit_request_offset = (intptr_t)offsetof(CPUState, exit_request)
                                   - (intptr_t)ops->env_offset;
    tcg_ctx->icount_decr_offset = (intptr_t)offsetof(CPUState, icount_decr)
                                  - (intptr_t)ops->env_offset;
    ops->initialize();
}

/* ---- hash table ---- */

static guint tb_hash(gconstpointer key)
{
    const TranslationBlock *tb = key;
    uint64_t h = tb->phys_pc * 0x9e3779b97f4a7c15ull;

    h ^= tb->pc * 0xc2b2ae3d27d4eb4full;
    h ^= ((uint64_t)tb->flags << 32 | tb->cflags) * 0x165667b19e3779f9ull;
    h ^= tb->cs_base;
    return h ^ (h >> 32);
}

static gboolean tb_equal(gconstpointer a, gconstpointer b)
{
    const TranslationBlock *x = a, *y = b;

    return x->phys_pc == y->phys_pc && x->pc == y->pc &&
           x->cs_base == y->cs_base && x->flags == y->flags &&
           x->cflags == y->cflags;
}

TranslationBlock *tb_lookup_hash(hwaddr phys_pc, uint64_t pc,
                                 uint64_t cs_base, uint32_t flags,
                                 uint32_t cflags)
{
    TranslationBlock key = {
        .pc = pc, .cs_base = cs_base, .flags = flags, .cflags = cflags,
        .phys_pc = phys_pc,
    };
    TranslationBlock *tb;

    g_rec_mutex_lock(&tb_lock);
    tb = g_hash_table_lookup(tb_htable, &key);
    g_rec_mutex_unlock(&tb_lock);
    return tb;
}

bool tb_is_invalid(const TranslationBlock *tb)
{
    return __atomic_load_n(&tb->cflags, __ATOMIC_ACQUIRE) & CF_INVALID;
}

/* ---- jump caches ---- */

void tb_jmp_cache_clear(CPUState *cpu)
{
    TCGVCPU *v = tcg_vcpu(cpu);

    for (int i = 0; i < TB_JMP_CACHE_SIZE; i++) {
        __atomic_store_n(&v->jmp_cache[i], NULL, __ATOMIC_RELAXED);
    }
}

void tb_jmp_cache_clear_range(CPUState *cpu, uint64_t start, uint64_t end)
{
    TCGVCPU *v = tcg_vcpu(cpu);

    if ((end - start) / 2 >= TB_JMP_CACHE_SIZE) {
        /* Fewer entries than addresses: look at each entry instead (an
         * x86 invlpg clears two 4 KiB pages; the rest of the cache, the
         * blocks of the pages that stay mapped, is kept). */
        for (int i = 0; i < TB_JMP_CACHE_SIZE; i++) {
            TranslationBlock *tb = __atomic_load_n(&v->jmp_cache[i],
                                                   __ATOMIC_RELAXED);

            if (tb && tb->pc >= start && tb->pc < end) {
                __atomic_store_n(&v->jmp_cache[i], NULL, __ATOMIC_RELAXED);
            }
        }
        return;
    }
    for (uint64_t pc = start; pc < end; pc += 2) {
        unsigned h = tb_jmp_cache_hash(pc);
        TranslationBlock *tb = __atomic_load_n(&v->jmp_cache[h],
                                               __ATOMIC_RELAXED);

        if (tb && tb->pc >= start && tb->pc < end) {
            __atomic_store_n(&v->jmp_cache[h], NULL, __ATOMIC_RELAXED);
        }
    }
}

void tb_jmp_cache_remove(TranslationBlock *tb)
{
    unsigned h = tb_jmp_cache_hash(tb->pc);

    for (guint i = 0; cpus && i < cpus->len; i++) {
        CPUState *cpu = g_ptr_array_index(cpus, i);
        TCGVCPU *v = cpu->accel;

        if (v) {
            __atomic_compare_exchange_n(&v->jmp_cache[h], &tb, NULL, false,
                                        __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
        }
    }
}

/* ---- chaining ---- */

static void tb_reset_jump(TBInfo *ti, int n)
{
    tcg_target_set_jmp_target(&ti->tb, n, (uintptr_t)ti->tb.tc_ptr +
                                          ti->tb.jmp_reset_offset[n]);
    ti->jmp_dest[n] = NULL;
}

/*
 * Where a chained jump from tb enters next.  A forward jump (to a higher
 * pc) skips next's exit-request check: any loop of chained blocks has a
 * jump to the same or a lower pc, which still checks, so a request waits
 * at most for a run of forward jumps, each block at most once.
 */
static uintptr_t chained_entry(const TranslationBlock *tb,
                               const TranslationBlock *next)
{
    uintptr_t entry = (uintptr_t)next->tc_ptr;

    return next->pc > tb->pc ? entry + next->body_offset : entry;
}

/* Whether a chained jump from tb to next leaves tb's guest page. */
static bool jump_crosses_page(const TranslationBlock *tb,
                              const TranslationBlock *next)
{
    return ((tb->pc ^ next->pc) & TARGET_PAGE_MASK) != 0;
}

void tb_add_jump(TranslationBlock *tb, int n, TranslationBlock *next)
{
    TBInfo *ti = tb_info(tb);
    bool cross = jump_crosses_page(tb, next);

    /* Another page is chained to only while one vCPU runs blocks: the
     * loop checked the destination's page in this vCPU's TLB, and a
     * second vCPU following the jump may map that page elsewhere. */
    if (cross && cpus && cpus->len > 1) {
        return;
    }
    g_rec_mutex_lock(&tb_lock);
    if (!tb_is_invalid(tb) && !tb_is_invalid(next) && !ti->jmp_dest[n]) {
        ti->jmp_dest[n] = next;
        tb_info(next)->jmp_incoming =
            g_slist_prepend(tb_info(next)->jmp_incoming,
                            (void *)((uintptr_t)ti | n));
        if (cross) {
            g_ptr_array_add(cross_page_jumps, (void *)((uintptr_t)ti | n));
        }
        tcg_target_set_jmp_target(tb, n, chained_entry(tb, next));
        emu_log_mask(LOG_EXEC, "Linking TBs %p index %d -> %p\n",
                     tb->tc_ptr, n, next->tc_ptr);
    }
    g_rec_mutex_unlock(&tb_lock);
}

/* Undoes the chained jump in slot n of ti, if there is one. */
static void tb_remove_jump(TBInfo *ti, int n)
{
    TranslationBlock *dest = ti->jmp_dest[n];

    if (dest) {
        tb_info(dest)->jmp_incoming =
            g_slist_remove(tb_info(dest)->jmp_incoming,
                           (void *)((uintptr_t)ti | n));
        tb_reset_jump(ti, n);
    }
}

void tb_unchain_cross_page(void)
{
    g_rec_mutex_lock(&tb_lock);
    for (guint i = 0; cross_page_jumps && i < cross_page_jumps->len; i++) {
        uintptr_t e = (uintptr_t)g_ptr_array_index(cross_page_jumps, i);
        TBInfo *ti = (TBInfo *)(e & ~(uintptr_t)1);

        tb_remove_jump(ti, e & 1);
    }
    if (cross_page_jumps) {
        g_ptr_array_set_size(cross_page_jumps, 0);
    }
    g_rec_mutex_unlock(&tb_lock);
}

/* ---- pages ---- */

static PageDesc *page_find(hwaddr page)
{
    return g_hash_table_lookup(page_table, &page);
}

bool tb_page_has_code(hwaddr page)
{
    bool ret;

    g_rec_mutex_lock(&tb_lock);
    ret = page_table && page_find(page & TARGET_PAGE_MASK) != NULL;
    g_rec_mutex_unlock(&tb_lock);
    return ret;
}

static void tb_page_add(TBInfo *ti, hwaddr page)
{
    PageDesc *pd = page_find(page);

    if (!pd) {
        pd = g_new0(PageDesc, 1);
        pd->page = page;
        pd->tbs = g_ptr_array_new();
        g_hash_table_insert(page_table, &pd->page, pd);
        tlb_protect_code(page);
    }
    g_ptr_array_add(pd->tbs, ti);
}

static void page_desc_free(PageDesc *pd)
{
    g_ptr_array_free(pd->tbs, TRUE);
    g_free(pd);
}

static void tb_page_remove(TBInfo *ti, hwaddr page)
{
    PageDesc *pd = page_find(page);

    g_ptr_array_remove_fast(pd->tbs, ti);
    if (!pd->tbs->len) {
        g_hash_table_remove(page_table, &pd->page);
        page_desc_free(pd);
    }
}

/* ---- invalidation ---- */

static void tb_invalidate(TBInfo *ti)
{
    TranslationBlock *tb = &ti->tb;
    TranslationBlock key = *tb;  /* hashed with the cflags it was added with */

    __atomic_store_n(&tb->cflags, tb->cflags | CF_INVALID, __ATOMIC_RELEASE);
    tb_invalidate_count++;
    g_hash_table_remove(tb_htable, &key);
    tb_jmp_cache_remove(tb);
    /* Blocks jumping here go back to the loop instead. */
    for (GSList *l = ti->jmp_incoming; l; l = l->next) {
        uintptr_t e = (uintptr_t)l->data;

        tb_reset_jump((TBInfo *)(e & ~(uintptr_t)1), e & 1);
    }
    g_slist_free(ti->jmp_incoming);
    ti->jmp_incoming = NULL;
    for (int n = 0; n < 2; n++) {
        tb_remove_jump(ti, n);
    }
    for (int i = 0; i < ti->nb_pages; i++) {
        tb_page_remove(ti, ti->pages[i].page);
    }
}

static void collect_page(PageDesc *pd, hwaddr start, hwaddr end,
                         GPtrArray *victims)
{
    for (guint i = 0; i < pd->tbs->len; i++) {
        TBInfo *ti = g_ptr_array_index(pd->tbs, i);

        for (int p = 0; p < ti->nb_pages; p++) {
            if (ti->pages[p].page == pd->page &&
                ti->pages[p].start < end && start < ti->pages[p].end) {
                g_ptr_array_add(victims, ti);
                break;
            }
        }
    }
}

bool tb_invalidate_phys_range(hwaddr start, hwaddr end)
{
    g_autoptr(GPtrArray) victims = g_ptr_array_new();
    hwaddr first = start & TARGET_PAGE_MASK;

    if (!page_table || end <= start) {
        return false;
    }
    g_rec_mutex_lock(&tb_lock);
    if ((end - first) / TARGET_PAGE_SIZE >
        g_hash_table_size(page_table)) {
        GHashTableIter it;
        gpointer key, value;

        g_hash_table_iter_init(&it, page_table);
        while (g_hash_table_iter_next(&it, &key, &value)) {
            collect_page(value, start, end, victims);
        }
    } else {
        for (hwaddr page = first; page < end; page += TARGET_PAGE_SIZE) {
            PageDesc *pd = page_find(page);

            if (pd) {
                collect_page(pd, start, end, victims);
            }
            if (page + TARGET_PAGE_SIZE < page) {
                break;           /* the top of the address space */
            }
        }
    }
    /* A block on two pages may have been collected twice. */
    for (guint i = 0; i < victims->len; i++) {
        TBInfo *ti = g_ptr_array_index(victims, i);

        if (!tb_is_invalid(&ti->tb)) {
            tb_invalidate(ti);
        }
    }
    g_rec_mutex_unlock(&tb_lock);
    return victims->len > 0;
}

static void tb_info_free(gpointer p)
{
    TBInfo *ti = p;

    g_slist_free(ti->jmp_incoming);
    g_free(ti->pages);
    g_free(ti->restore);
    g_free(ti);
}

void tb_flush_all(void)
{
    GHashTableIter it;
    gpointer key, value;

    g_rec_mutex_lock(&tb_lock);
    emu_log_mask(LOG_EXEC, "tcg: code buffer full after %u blocks: "
                 "flushing\n", tb_by_host->len);
    for (guint i = 0; cpus && i < cpus->len; i++) {
        CPUState *cpu = g_ptr_array_index(cpus, i);

        if (cpu->accel) {
            tb_jmp_cache_clear(cpu);
        }
    }
    g_hash_table_remove_all(tb_htable);
    g_hash_table_iter_init(&it, page_table);
    while (g_hash_table_iter_next(&it, &key, &value)) {
        page_desc_free(value);
    }
    g_hash_table_remove_all(page_table);
    for (guint i = 0; i < tb_by_host->len; i++) {
        tb_info_free(g_ptr_array_index(tb_by_host, i));
    }
    g_ptr_array_set_size(tb_by_host, 0);
    g_ptr_array_set_size(cross_page_jumps, 0);
    code_gen_ptr = code_gen_start;
    __atomic_add_fetch(&tb_flush_count, 1, __ATOMIC_SEQ_CST);
    g_rec_mutex_unlock(&tb_lock);
}

/* ---- info jit ---- */

void tcg_code_cache_stats(TCGCodeCacheStats *st)
{
    *st = (TCGCodeCacheStats){ 0 };
    if (!code_gen_buffer) {
        return;
    }
    g_rec_mutex_lock(&tb_lock);
    /* The room blocks may fill: past the prologue, and short of the
     * headroom at the end that a translation needs to start. */
    st->code_size = code_gen_ptr - code_gen_start;
    st->code_capacity = code_gen_buffer + code_gen_buffer_size -
                        code_gen_start - TB_MIN_ROOM;
    /* As QEMU counts them: every block translated since the last flush,
     * invalidated ones too (their code stays until the flush). */
    st->tb_count = tb_by_host->len;
    for (guint i = 0; i < tb_by_host->len; i++) {
        const TBInfo *ti = g_ptr_array_index(tb_by_host, i);

        st->target_size += ti->tb.size;
        st->max_target_size = MAX(st->max_target_size, ti->tb.size);
        st->host_size += ti->tb.tc_size;
        st->cross_page += ti->nb_pages > 1;
        /* A goto_tb slot has its unchained path after the jump. */
        st->direct_jmp += ti->tb.jmp_reset_offset[0] != 0;
        st->direct_jmp2 += ti->tb.jmp_reset_offset[1] != 0;
    }
    st->flush_count = tb_flush_count;
    st->invalidate_count = tb_invalidate_count;
    g_rec_mutex_unlock(&tb_lock);
}

/* ---- what the translation fetched ---- */

static __thread struct {
    TranslationBlock *tb;
    GArray *pages;               /* TBPageRange */
} fetch;

void tb_record_fetch(hwaddr paddr, int len)
{
    hwaddr page = paddr & TARGET_PAGE_MASK;
    guint i;

    if (!fetch.tb) {
        return;                  /* a fetch outside translation */
    }
    for (i = 0; i < fetch.pages->len; i++) {
        TBPageRange *r = &g_array_index(fetch.pages, TBPageRange, i);

        if (r->page == page) {
            r->start = MIN(r->start, paddr);
            r->end = MAX(r->end, paddr + len);
            break;
        }
    }
    if (i == fetch.pages->len) {
        TBPageRange r = { page, paddr, paddr + len };

        g_array_append_val(fetch.pages, r);
    }
}

/* ---- translation ---- */

/* A LEB128 number of 64 bits takes at most 10 bytes. */
#define LEB128_MAX 10

/* Writes v at p; returns the end. */
static uint8_t *uleb128(uint8_t *p, uint64_t v)
{
    do {
        uint8_t b = v & 0x7f;

        v >>= 7;
        if (v) {
            b |= 0x80;
        }
        *p++ = b;
    } while (v);
    return p;
}

static uint8_t *sleb128(uint8_t *p, int64_t v)
{
    bool more;

    do {
        uint8_t b = v & 0x7f;

        v >>= 7;
        more = !((v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40)));
        if (more) {
            b |= 0x80;
        }
        *p++ = b;
    } while (more);
    return p;
}

/* The 7-bit groups of one LEB128 number; *bits says how many there were,
 * times 7, and *last its last byte (for the sign). */
static uint64_t read_leb128(const uint8_t **p, int *bits, uint8_t *last)
{
    uint64_t v = 0;
    int shift = 0;
    uint8_t b;

    do {
        b = *(*p)++;
        v |= (uint64_t)(b & 0x7f) << shift;
        shift += 7;
    } while (b & 0x80);
    *bits = shift;
    *last = b;
    return v;
}

static uint64_t read_uleb128(const uint8_t **p)
{
    int bits;
    uint8_t last;

    return read_leb128(p, &bits, &last);
}

static int64_t read_sleb128(const uint8_t **p)
{
    int bits;
    uint8_t last;
    uint64_t v = read_leb128(p, &bits, &last);

    if (bits < 64 && (last & 0x40)) {
        v |= -((uint64_t)1 << bits);
    }
    return v;
}

/* Each instruction as deltas from the one before: guest pc, target
 * data, end of its host code. */
static void tb_encode_restore(TBInfo *ti, TCGContext *s)
{
    /* Written here, then copied at its size (translation is serialised). */
    static uint8_t buf[TCG_MAX_INSNS * 3 * LEB128_MAX];
    uint64_t prev[3] = { ti->tb.pc, 0, 0 };
    uint8_t *p = buf;

    for (int i = 0; i < s->nb_insns; i++) {
        p = sleb128(p, s->insn_data[i][0] - prev[0]);
        p = sleb128(p, s->insn_data[i][1] - prev[1]);
        p = uleb128(p, s->insn_end_offsets[i] - prev[2]);
        prev[0] = s->insn_data[i][0];
        prev[1] = s->insn_data[i][1];
        prev[2] = s->insn_end_offsets[i];
    }
    ti->nb_insns = s->nb_insns;
    ti->restore = g_memdup2(buf, p - buf);
}

static void log_ops(TCGContext *s, const char *title, bool have_life)
{
    g_autoptr(GString) out = g_string_new(title);

    tcg_dump_ops(s, out, have_life);
    emu_log("%s\n", out->str);
}

/*
 * Front end, optimiser, liveness and back end for one attempt: returns
 * the host bytes, -1 when the code did not fit, -2 when the block needs
 * more temps than the context has.
 */
static int tb_translate(CPUState *cpu, TBInfo *ti, int max_insns)
{
    TCGContext *s = tcg_ctx;
    TranslationBlock *tb = &ti->tb;
    sigjmp_buf jmp;

    if (sigsetjmp(jmp, 0)) {
        tcg_overflow_jmp = NULL;
        fetch.tb = NULL;
        translator_fetch_reset(false);
        return -2;
    }
    tcg_overflow_jmp = &jmp;
    tcg_func_start(s);
    s->tb_body_label = NULL;
    s->tb = tb;
    fetch.tb = tb;
    g_array_set_size(fetch.pages, 0);
    translator_fetch_reset(true);
    /* (the front end logs -d in_asm: it knows the instruction set) */
    CPU_GET_CLASS(cpu)->tcg_ops->translate_code(cpu, tb, max_insns);
    fetch.tb = NULL;
    translator_fetch_reset(false);
    if (emu_log_enabled(LOG_OP)) {
        log_ops(s, "OP:\n", false);
    }
    tcg_optimize(s);
    tcg_liveness_analysis(s);
    tcg_overflow_jmp = NULL;
    if (emu_log_enabled(LOG_OP_OPT)) {
        log_ops(s, "OP after optimization and liveness analysis:\n", true);
    }
    s->code_buf = s->code_ptr = code_gen_ptr;
    s->code_end = code_gen_buffer + code_gen_buffer_size;
    return tcg_target_gen_code(s, tb);
}

TranslationBlock *tb_gen_code(CPUState *cpu, uint64_t pc, uint64_t cs_base,
                              uint32_t flags, uint32_t cflags)
{
    TCGContext *s = tcg_ctx;
    TCGVCPU *v = tcg_vcpu(cpu);
    TBInfo *ti = g_new0(TBInfo, 1);
    TranslationBlock *tb = &ti->tb;
    int max_insns = cflags & CF_COUNT_MASK ? cflags & CF_COUNT_MASK
                                            : TCG_MAX_INSNS;
    bool flushed = false;
    int size;

    g_rec_mutex_lock(&tb_lock);
    v->translating = tb;
    if (!fetch.pages) {
        fetch.pages = g_array_new(FALSE, FALSE, sizeof(TBPageRange));
    }
    tb->priv = ti;
    tb->pc = pc;
    tb->cs_base = cs_base;
    tb->flags = flags;
    tb->cflags = cflags;
    for (;;) {
        if ((size_t)(code_gen_buffer + code_gen_buffer_size - code_gen_ptr) <
            TB_MIN_ROOM) {
            tb_flush_all();
            flushed = true;
        }
        size = tb_translate(cpu, ti, max_insns);
        if (size >= 0) {
            break;
        }
        if (size == -1 && !flushed &&
            (size_t)(code_gen_buffer + code_gen_buffer_size -
                     code_gen_ptr) < 2 * TB_MIN_ROOM) {
            tb_flush_all();      /* the buffer is nearly full */
            flushed = true;
            continue;
        }
        if (max_insns == 1) {
            g_error("tcg: a single guest instruction at 0x%" PRIx64
                    " does not fit in a translation block", pc);
        }
        max_insns = (max_insns + 1) / 2;
    }

    tb->tc_ptr = s->code_buf;
    tb->tc_size = size;
    tb->body_offset = s->tb_body_label && s->tb_body_label->has_value ?
        s->tb_body_label->value - (uintptr_t)tb->tc_ptr : 0;
    tb_encode_restore(ti, s);
    code_gen_ptr = (uint8_t *)align_up((uintptr_t)s->code_buf + size, 64);
    /* The first page fetched is where the block starts. */
    ti->nb_pages = fetch.pages->len;
    ti->pages = g_new(TBPageRange, ti->nb_pages);
    memcpy(ti->pages, fetch.pages->data, ti->nb_pages * sizeof(TBPageRange));
    tb->phys_pc = ti->nb_pages ? ti->pages[0].start : (hwaddr)-1;
    for (int i = 0; i < ti->nb_pages; i++) {
        tb_page_add(ti, ti->pages[i].page);
    }
    g_hash_table_add(tb_htable, tb);
    g_ptr_array_add(tb_by_host, ti);
    if (emu_log_enabled(LOG_OUT_ASM)) {
        g_autoptr(GString) out = g_string_new(NULL);

        g_string_append_printf(out, "OUT: [size=%d]\n", size);
        disas_append_host(out, tb->tc_ptr, size);
        emu_log("%s\n", out->str);
    }
    v->translating = NULL;
    g_rec_mutex_unlock(&tb_lock);
    return tb;
}

void tb_unlock_after_fault(CPUState *cpu)
{
    TCGVCPU *v = tcg_vcpu(cpu);

    fetch.tb = NULL;
    translator_fetch_reset(false);
    tcg_overflow_jmp = NULL;
    if (v->translating) {
        /* Abandoned before it was published: nothing else refers to it. */
        tb_info_free(tb_info(v->translating));
        v->translating = NULL;
        g_rec_mutex_unlock(&tb_lock);
    }
}

/* ---- host pc -> guest insn ---- */

static TBInfo *tb_find_by_host(uintptr_t host_pc)
{
    guint lo = 0, hi = tb_by_host->len;

    while (lo < hi) {
        guint mid = (lo + hi) / 2;
        TBInfo *ti = g_ptr_array_index(tb_by_host, mid);
        uintptr_t start = (uintptr_t)ti->tb.tc_ptr;

        if (host_pc < start) {
            hi = mid;
        } else if (host_pc >= start + ti->tb.tc_size) {
            lo = mid + 1;
        } else {
            return ti;
        }
    }
    return NULL;
}

/*
 * The guest instruction whose host code holds the return address
 * host_pc (the call is just before it), from its block's restore table:
 * its index in the block, with the block in *tip and the instruction's
 * restore data (its pc and the target's word) in data[]; -1 if host_pc
 * is in no block.  Call with tb_lock held.
 */
static int tb_insn_at(uintptr_t host_pc, TBInfo **tip, uint64_t data[2])
{
    TBInfo *ti = host_pc && tb_by_host ? tb_find_by_host(host_pc - 1) : NULL;
    const uint8_t *p;
    uintptr_t off;
    uint64_t end = 0;

    if (!ti) {
        return -1;
    }
    p = ti->restore;
    off = host_pc - 1 - (uintptr_t)ti->tb.tc_ptr;
    data[0] = ti->tb.pc;
    data[1] = 0;
    for (int i = 0; i < ti->nb_insns; i++) {
        data[0] += read_sleb128(&p);
        data[1] += read_sleb128(&p);
        end += read_uleb128(&p);
        if (off < end) {
            *tip = ti;
            return i;
        }
    }
    return -1;
}

bool cpu_restore_state(CPUState *cpu, uintptr_t host_pc)
{
    TBInfo *ti;
    uint64_t data[2];
    int insn;

    g_rec_mutex_lock(&tb_lock);
    insn = tb_insn_at(host_pc, &ti, data);
    if (insn >= 0) {
        CPU_GET_CLASS(cpu)->tcg_ops->restore_state_to_opc(cpu, &ti->tb, data);
    }
    g_rec_mutex_unlock(&tb_lock);
    return insn >= 0;
}

unsigned tb_insns_after(uintptr_t host_pc)
{
    TBInfo *ti;
    uint64_t data[2];
    int insn;
    unsigned after;

    g_rec_mutex_lock(&tb_lock);
    insn = tb_insn_at(host_pc, &ti, data);
    after = insn >= 0 ? ti->nb_insns - 1 - insn : 0;
    g_rec_mutex_unlock(&tb_lock);
    return after;
}

void cpu_redo_insn_alone(CPUState *cpu, uintptr_t ra)
{
    cpu_restore_state(cpu, ra);
    tcg_vcpu(cpu)->cflags_next_tb = CF_SINGLE_STEP | CF_NO_CHAIN | 1;
    cpu_loop_exit(cpu);
}

/* The block whose helper call returns to ra (0: none), or NULL; under
 * tb_lock. */
static TBInfo *tb_running_at(uintptr_t ra)
{
    return ra && tb_by_host ? tb_find_by_host(ra - 1) : NULL;
}

bool tb_running_alone(uintptr_t ra)
{
    TBInfo *running;
    bool alone;

    g_rec_mutex_lock(&tb_lock);
    running = tb_running_at(ra);
    alone = !running || (running->tb.icount == 1 &&
                         (running->tb.cflags & CF_SINGLE_STEP));
    g_rec_mutex_unlock(&tb_lock);
    return alone;
}

void tb_invalidate_by_store(CPUState *cpu, hwaddr start, hwaddr end,
                            uintptr_t ra)
{
    TBInfo *running;
    bool stale;

    g_rec_mutex_lock(&tb_lock);
    running = tb_running_at(ra);
    tb_invalidate_phys_range(start, end);
    /* The instructions after the store may be stale, as the store
     * itself cannot be: it was fetched before it ran.  The single
     * instruction block that redoes it goes on with its stores. */
    stale = running && tb_is_invalid(&running->tb) && running->tb.icount > 1;
    g_rec_mutex_unlock(&tb_lock);
    if (stale) {
        cpu_redo_insn_alone(cpu, ra);
    }
}
