/* test_shm.c - the LSA shared-memory callbacks (host_shm.c) over each provider, under
 * Wine. Commit state is read with VirtualQuery: Wine does not fault on a write to an
 * uncommitted SEC_RESERVE page (Windows does), so a write proves nothing here. */
#include "../../src/host/lsa/host_account.h"
#include "../../src/host/shm/host_shm.h"
#include "../tap.h"

#include <string.h>

static MEMORY_BASIC_INFORMATION query(const void *p)
{
    MEMORY_BASIC_INFORMATION mbi;
    memset(&mbi, 0, sizeof(mbi));
    VirtualQuery(p, &mbi, sizeof(mbi));
    return mbi;
}

static ULONG live_blocks(PVOID s)
{
    shm_section_info info;
    return host_shm_query(s, &info) ? info.LiveBlocks : 0xffffffff;
}

static void test_create_bad_input(void)
{
    ok(host_CreateSharedMemory(0, 0) == NULL, "MaxSize 0 gives NULL");
    ok(host_CreateSharedMemory(4096, 8192) == NULL, "InitialSize > MaxSize gives NULL");
    ok(host_AllocateSharedMemory(NULL, 16) == NULL, "allocating from a NULL section gives NULL");
    ok(host_AllocateSharedMemory((PVOID)0x12345678, 16) == NULL,
       "allocating from a section that was never created gives NULL");
    ok(host_DeleteSharedMemory((PVOID)0x12345678) == FALSE, "deleting an unknown section gives FALSE");
    /* Must be refused without touching 0x1000: a crash ends the test without its plan. */
    host_FreeSharedMemory((PVOID)0x12345678, (PVOID)0x1000);
}

static void test_commit_on_demand(void)
{
    PVOID s = host_CreateSharedMemory(1 << 20, 64 * 1024);
    shm_section_info info;
    MEMORY_BASIC_INFORMATION mbi;
    BYTE *view, *p, *last = NULL;
    ULONG64 total = 0;

    ok(s != NULL, "1 MiB section with 64 KiB initial is created");
    host_shm_query(s, &info);
    view = info.ViewBase;
    ok(info.MaxSize == 1 << 20 && info.Committed == 64 * 1024,
       "committed up front: got %llu of %lu, wanted 65536", (unsigned long long)info.Committed,
       info.MaxSize);
    ok(info.SectionHandle != NULL, "the section has a handle clients can map");
    mbi = query(view);
    ok(mbi.State == MEM_COMMIT && mbi.RegionSize == 64 * 1024,
       "VirtualQuery: first 64 KiB committed (state %#lx, size %llu)", mbi.State,
       (unsigned long long)mbi.RegionSize);
    mbi = query(view + 64 * 1024);
    ok(mbi.State == MEM_RESERVE, "VirtualQuery: the rest is only reserved (state %#lx)", mbi.State);

    /* 100 KiB of blocks: commitment must follow, page by page. */
    while (total < 100 * 1024 && (p = host_AllocateSharedMemory(s, 1000))) {
        total += 1008;
        last = p;
    }
    host_shm_query(s, &info);
    ok(info.Committed >= (ULONG64)(last + 1008 - view) && info.Committed < (ULONG64)(last + 1008 - view) + 4096,
       "commitment reaches the last block's page and no further: %llu for a block ending at %llu",
       (unsigned long long)info.Committed, (unsigned long long)(last + 1008 - view));
    mbi = query(last + 1000);
    ok(mbi.State == MEM_COMMIT, "VirtualQuery: the last block's end is committed");
    mbi = query(view + info.Committed);
    ok(mbi.State == MEM_RESERVE, "VirtualQuery: the page after commitment is still reserved");

    /* Exhaustion: never past MaxSize. */
    while (host_AllocateSharedMemory(s, 4096))
        ;
    host_shm_query(s, &info);
    ok(info.LiveBytes <= (1 << 20) && info.Committed <= (1 << 20),
       "exhausted at MaxSize: %llu live bytes, %llu committed", (unsigned long long)info.LiveBytes,
       (unsigned long long)info.Committed);
    ok(host_AllocateSharedMemory(s, 1 << 20) == NULL, "a MaxSize block no longer fits");
    ok(host_AllocateSharedMemory(s, 0) == NULL, "size 0 gives NULL");
    ok(host_DeleteSharedMemory(s) == TRUE, "delete a full section");
}

static void test_alignment_and_frees(void)
{
    PVOID s = host_CreateSharedMemory(256 * 1024, 4096), other = host_CreateSharedMemory(65536, 0);
    BYTE *blocks[64], *foreign_block = host_AllocateSharedMemory(other, 64);
    BYTE heap_memory[64];
    int aligned = 1, inside = 1, zero_after_free = 1;
    shm_section_info info;
    ULONG before;

    host_shm_query(s, &info);
    for (int i = 0; i < 64; i++) {
        blocks[i] = host_AllocateSharedMemory(s, (ULONG)(1 + i * 13));
        aligned &= ((ULONG_PTR)blocks[i] & 15) == 0;
        inside &= blocks[i] >= (BYTE *)info.ViewBase && blocks[i] + 1 + i * 13 <= (BYTE *)info.ViewBase + info.MaxSize;
        memset(blocks[i], 0xab, (size_t)(1 + i * 13));
    }
    ok(aligned, "64 blocks of odd sizes are 16-byte aligned");
    ok(inside, "every block lies inside the section's view");

    before = live_blocks(s);
    host_FreeSharedMemory(s, blocks[3] + 16);
    host_FreeSharedMemory(s, blocks[3] + 1);
    host_FreeSharedMemory(s, NULL);
    host_FreeSharedMemory(s, heap_memory);
    host_FreeSharedMemory(s, foreign_block);
    host_FreeSharedMemory(s, (BYTE *)info.ViewBase + info.MaxSize);
    ok(live_blocks(s) == before, "interior, misaligned, NULL, stack, other-section and "
       "past-the-end frees are refused: %lu live, wanted %lu", live_blocks(s), before);
    ok(live_blocks(other) == 1, "the other section's block was not freed by a free into this one");
    ok(blocks[3][0] == 0xab && blocks[3][39] == 0xab, "refused frees wiped nothing");

    host_FreeSharedMemory(s, blocks[5]);
    for (int i = 0; i < 1 + 5 * 13; i++)
        zero_after_free &= blocks[5][i] == 0;
    ok(zero_after_free, "freed bytes are wiped");
    ok(live_blocks(s) == before - 1, "a real free frees one block");
    host_FreeSharedMemory(s, blocks[5]);
    ok(live_blocks(s) == before - 1, "a double free is refused");

    ok(host_DeleteSharedMemory(s) && host_DeleteSharedMemory(other), "both sections delete");
    ok(host_DeleteSharedMemory(s) == FALSE, "a second delete gives FALSE");
    ok(host_AllocateSharedMemory(s, 16) == NULL, "allocating from a deleted section gives NULL");
    /* The old view is unmapped: acting on this free would fault. */
    host_FreeSharedMemory(s, blocks[0]);

    other = host_CreateSharedMemory(65536, 0);
    ok(other != s, "a new section in the reused slot has a new handle (%p vs %p)", other, s);
    ok(host_AllocateSharedMemory(s, 16) == NULL, "the old handle still names nothing");
    host_DeleteSharedMemory(other);
}

/* Each block holds its own tag; a tag found changed at free time means two blocks
 * overlapped or a free wiped the wrong bytes. */
static void test_random_against_model(void)
{
    enum { SLOTS = 500, STEPS = 40000 };
    static BYTE *addr[SLOTS];
    static ULONG size[SLOTS];
    PVOID s = host_CreateSharedMemory(4 << 20, 0);
    unsigned seed = 777;
    int damaged = 0, allocs = 0;
    host_account_entry blocks;

    for (int step = 0; step < STEPS; step++) {
        int i;
        seed = seed * 1103515245u + 12345u;
        i = (int)((seed >> 8) % SLOTS);
        if (!addr[i]) {
            size[i] = 1 + (seed >> 3) % 4096;
            addr[i] = host_AllocateSharedMemory(s, size[i]);
            if (addr[i]) {
                memset(addr[i], (BYTE)i, size[i]);
                allocs++;
            }
        } else {
            for (ULONG k = 0; k < size[i]; k++)
                damaged += addr[i][k] != (BYTE)i;
            host_FreeSharedMemory(s, addr[i]);
            addr[i] = NULL;
        }
    }
    ok(allocs > 10000, "random run made %d allocations", allocs);
    ok(damaged == 0, "no block's contents were touched by another allocation or free (%d bytes)", damaged);
    host_account_get(HOST_RES_SHM_BLOCK, &blocks);
    ok(blocks.live == (int64_t)live_blocks(s), "accounting agrees with the section: %lld vs %lu",
       (long long)blocks.live, live_blocks(s));
    host_DeleteSharedMemory(s);
    host_account_get(HOST_RES_SHM_BLOCK, &blocks);
    ok(blocks.live == 0, "deleting the section releases its blocks from the accounting");
}

typedef struct thread_args {
    PVOID section;
    int id, damaged, done;
} thread_args;

static DWORD WINAPI hammer(LPVOID arg)
{
    thread_args *t = arg;
    BYTE *mine[32] = { 0 };

    for (int round = 0; round < 3000; round++) {
        int i = round % 32;
        if (mine[i]) {
            for (int k = 0; k < 48; k++)
                t->damaged += mine[i][k] != (BYTE)t->id;
            host_FreeSharedMemory(t->section, mine[i]);
        }
        mine[i] = host_AllocateSharedMemory(t->section, 48);
        if (mine[i]) {
            memset(mine[i], t->id, 48);
            t->done++;
        }
    }
    for (int i = 0; i < 32; i++)
        if (mine[i])
            host_FreeSharedMemory(t->section, mine[i]);
    return 0;
}

static void test_threads(void)
{
    thread_args args[4];
    HANDLE threads[4];
    PVOID s = host_CreateSharedMemory(1 << 20, 0);
    int damaged = 0, done = 0;

    for (int i = 0; i < 4; i++) {
        args[i] = (thread_args){ s, i + 1, 0, 0 };
        threads[i] = CreateThread(NULL, 0, hammer, &args[i], 0, NULL);
    }
    WaitForMultipleObjects(4, threads, TRUE, INFINITE);
    for (int i = 0; i < 4; i++) {
        damaged += args[i].damaged;
        done += args[i].done;
        CloseHandle(threads[i]);
    }
    ok(done == 4 * 3000, "4 threads made %d allocations, wanted 12000", done);
    ok(damaged == 0, "no thread saw another's writes in its blocks (%d bytes)", damaged);
    ok(live_blocks(s) == 0, "all blocks freed: %lu live", live_blocks(s));
    host_DeleteSharedMemory(s);
}

static void test_heap_provider(void)
{
    PVOID s, a, b;
    BYTE local[32];
    shm_section_info info;

    host_shm_init(shm_provider_heap());
    s = host_CreateSharedMemory(4096, 0);
    ok(s != NULL, "heap provider: section created");
    host_shm_query(s, &info);
    ok(info.SectionHandle == NULL, "heap provider: nothing for clients to map");
    a = host_AllocateSharedMemory(s, 2048);
    b = host_AllocateSharedMemory(s, 2048);
    ok(a && b && ((ULONG_PTR)a & 15) == 0, "heap provider: two 2 KiB blocks, aligned");
    ok(host_AllocateSharedMemory(s, 16) == NULL, "heap provider: MaxSize is a hard limit");
    host_FreeSharedMemory(s, (BYTE *)a + 16);
    host_FreeSharedMemory(s, local);
    ok(live_blocks(s) == 2, "heap provider: interior and foreign frees refused");
    host_FreeSharedMemory(s, a);
    ok(live_blocks(s) == 1, "heap provider: a real free works");
    host_FreeSharedMemory(s, a);
    ok(live_blocks(s) == 1, "heap provider: double free refused");
    ok(host_DeleteSharedMemory(s), "heap provider: delete");
}

static void test_fault_provider(void)
{
    PVOID s, blocks[6];
    ULONG requests, failed;

    host_shm_init(shm_provider_fault(shm_provider_filemap(), 2, 0));
    s = host_CreateSharedMemory(65536, 0);
    blocks[0] = host_AllocateSharedMemory(s, 16);
    blocks[1] = host_AllocateSharedMemory(s, 16);
    ok(s != NULL && blocks[0] == NULL && blocks[1] != NULL,
       "fail-nth=2: request 1 (section) works, request 2 fails, request 3 works");
    host_FreeSharedMemory(s, blocks[1]);
    host_DeleteSharedMemory(s);

    host_shm_init(shm_provider_fault(shm_provider_filemap(), 0, 3));
    s = host_CreateSharedMemory(65536, 0);
    for (int i = 0; i < 6; i++)
        blocks[i] = host_AllocateSharedMemory(s, 16);
    ok(blocks[0] && blocks[1] && !blocks[2] && !blocks[5],
       "fail-after=3: requests 1-3 work, every later one fails");
    shm_provider_fault_counts(&requests, &failed);
    ok(requests == 7 && failed == 4, "fault counts: %lu requests, %lu failed", requests, failed);
    host_FreeSharedMemory(s, blocks[0]);
    host_FreeSharedMemory(s, blocks[1]);
    host_DeleteSharedMemory(s);
    host_shm_init(shm_provider_filemap());
}

int main(void)
{
    tap_start();
    host_shm_init(shm_provider_filemap());
    test_create_bad_input();
    test_commit_on_demand();
    test_alignment_and_frees();
    test_random_against_model();
    test_threads();
    test_heap_provider();
    test_fault_provider();
    return done_testing();
}
