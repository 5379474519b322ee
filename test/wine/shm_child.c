/* shm_child.c - a client process for test_shm_share: maps a section through a handle
 * duplicated into it, checks what the host wrote, then scribbles random bytes over
 * every committed page, as a hostile client may.
 *
 * stdin: "<section handle> <offset> <expected text>\n"
 * exit:  0 saw the text and scribbled, 1 the text was not there, 2 could not map */
#include <windows.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    char line[512], expected[256];
    unsigned long long handle_value, offset;
    MEMORY_BASIC_INFORMATION mbi;
    BYTE *view, *at;
    unsigned seed = GetCurrentProcessId();
    int seen;

    if (!fgets(line, sizeof(line), stdin) ||
        sscanf(line, "%llx %llu %255s", &handle_value, &offset, expected) != 3)
        return 2;
    view = MapViewOfFile((HANDLE)(ULONG_PTR)handle_value, FILE_MAP_WRITE, 0, 0, 0);
    if (!view)
        return 2;
    seen = memcmp(view + offset, expected, strlen(expected)) == 0;

    /* Every committed page, in every region of the view. */
    for (at = view; VirtualQuery(at, &mbi, sizeof(mbi)) && mbi.AllocationBase == view;
         at = (BYTE *)mbi.BaseAddress + mbi.RegionSize) {
        if (mbi.State != MEM_COMMIT)
            continue;
        for (SIZE_T i = 0; i < mbi.RegionSize; i++) {
            seed = seed * 1103515245u + 12345u;
            ((BYTE *)mbi.BaseAddress)[i] = (BYTE)(seed >> 16);
        }
    }
    UnmapViewOfFile(view);
    return seen ? 0 : 1;
}
