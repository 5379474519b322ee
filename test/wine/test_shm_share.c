/* test_shm_share.c - a section shared with a second process: the client maps it through
 * a duplicated handle and sees the host's bytes, then scribbles over all of it; the
 * host's allocator and the sspkg package must carry on as if nothing happened, because
 * nothing they rely on lives in the section. */
#include "../../src/host/lsa/host_account.h"
#include "../../src/host/lsa/host_callbacks.h"
#include "../../src/host/lsa/host_heap.h"
#include "../../src/host/packages/host_packages.h"
#include "../../src/host/shm/host_shm.h"
#include "../../src/host/commands/host_show.h"
#include "../../include/sspkg.h"
#include "../tap.h"

#include <stdio.h>
#include <string.h>

/* Runs shm_child.exe, duplicates the section into it, and returns its exit code. */
static DWORD run_child(PVOID section, ULONG64 offset, const char *expected)
{
    SECURITY_ATTRIBUTES sa = { sizeof(sa), NULL, TRUE };
    STARTUPINFOA si;
    PROCESS_INFORMATION pi;
    HANDLE read_end, write_end, in_child = NULL;
    shm_section_info info;
    char cmd[] = "shm_child.exe", line[512];
    DWORD code = 0xffffffff, written;

    if (!host_shm_query(section, &info) || !CreatePipe(&read_end, &write_end, &sa, 0))
        return code;
    SetHandleInformation(write_end, HANDLE_FLAG_INHERIT, 0);
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = read_end;
    si.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    if (CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
        if (DuplicateHandle(GetCurrentProcess(), info.SectionHandle, pi.hProcess, &in_child,
                            0, FALSE, DUPLICATE_SAME_ACCESS)) {
            snprintf(line, sizeof(line), "%llx %llu %s\n", (unsigned long long)(ULONG_PTR)in_child,
                     (unsigned long long)offset, expected);
            WriteFile(write_end, line, (DWORD)strlen(line), &written, NULL);
        }
        CloseHandle(write_end);
        WaitForSingleObject(pi.hProcess, INFINITE);
        GetExitCodeProcess(pi.hProcess, &code);
        CloseHandle(pi.hProcess);
        CloseHandle(pi.hThread);
    } else {
        CloseHandle(write_end);
    }
    CloseHandle(read_end);
    return code;
}

static void test_allocator_survives(void)
{
    static const char text[] = "hello-from-the-host";
    PVOID s = host_CreateSharedMemory(256 * 1024, 16 * 1024);
    BYTE *filler = host_AllocateSharedMemory(s, 100), *block = host_AllocateSharedMemory(s, 64);
    BYTE *blocks[200];
    shm_section_info info;
    int damaged = 0, allocated = 0;
    DWORD code;

    host_shm_query(s, &info);
    memcpy(block, text, sizeof(text));
    code = run_child(s, (ULONG64)(block - (BYTE *)info.ViewBase), text);
    ok(code == 0, "the child mapped the section and saw the host's bytes (exit %lu)", code);
    ok(memcmp(block, text, sizeof(text)) != 0, "the child's scribbling reached the host's view");

    /* The allocator works on: every block is usable and none overlaps another. */
    for (int i = 0; i < 200; i++) {
        blocks[i] = host_AllocateSharedMemory(s, 512);
        if (blocks[i]) {
            memset(blocks[i], i, 512);
            allocated++;
        }
    }
    for (int i = 0; i < 200; i++)
        for (int k = 0; blocks[i] && k < 512; k++)
            damaged += blocks[i][k] != (BYTE)i;
    ok(allocated == 200 && damaged == 0, "after the scribble: 200 new blocks, no overlap (%d, %d)",
       allocated, damaged);
    host_FreeSharedMemory(s, block + 16);
    host_shm_query(s, &info);
    ok(info.LiveBlocks == 202, "bad frees are still refused: %lu live, wanted 202", info.LiveBlocks);
    for (int i = 0; i < 200; i++)
        host_FreeSharedMemory(s, blocks[i]);
    host_FreeSharedMemory(s, block);
    host_FreeSharedMemory(s, filler);
    host_shm_query(s, &info);
    ok(info.LiveBlocks == 0, "every block frees: %lu live, wanted 0", info.LiveBlocks);
    ok(host_DeleteSharedMemory(s), "the scribbled section deletes");
}

typedef struct found_section {
    PVOID handle;
    ULONG64 status_offset;
} found_section;

static void find_section(void *context, PVOID handle, const shm_section_info *info)
{
    found_section *f = context;
    f->handle = handle;
    /* The status block is the package's first allocation: offset 0 in a fresh section. */
    f->status_offset = 0;
    (void)info;
}

static void test_package_survives(void)
{
    static const WCHAR *const paths[] = { L"sspkg.dll" };
    char why[256];
    found_section f = { 0 };
    char magic[5] = { 0 };
    host_account_entry e;
    int leaked = 0;
    DWORD code;

    memcpy(magic, &(uint32_t){ SSPKG_STATUS_MAGIC }, 4);
    ok(host_packages_load(paths, 1, why, sizeof(why)) == 0, "sspkg loads and starts");
    host_shm_for_each(find_section, &f);
    ok(f.handle != NULL, "sspkg created its section");
    code = run_child(f.handle, f.status_offset, magic);
    ok(code == 0, "the child saw the status block's magic in the package's section (exit %lu)", code);
    /* Reads the scribbled section: it must validate before decoding (a crash here
     * ends the test without its plan, which prove reports). */
    host_show_shared();
    host_packages_unload();
    for (int r = 0; r < HOST_RES_COUNT; r++) {
        host_account_get((host_resource)r, &e);
        leaked += e.live != 0;
    }
    ok(leaked == 0, "the package shut down cleanly after its section was scribbled: %d leaking kinds", leaked);
}

int main(void)
{
    tap_start();
    host_heap_init();
    host_shm_init(shm_provider_filemap());
    test_allocator_survives();
    test_package_survives();
    return done_testing();
}
