package io.smdrelease.repodata;

/**
 * Interns strings straight from a parser's character buffer, so a value seen before costs no allocation: an
 * open-addressing table of the distinct strings. Not thread-safe; one per parse.
 */
final class StringPool {
    private String[] table = new String[1 << 16];
    private int[] hashes = new int[1 << 16];
    private int size;

    String intern(char[] chars, int offset, int length) {
        int h = 0;
        for (int i = offset, end = offset + length; i < end; i++) {
            h = 31 * h + chars[i];
        }
        int mask = table.length - 1;
        int slot = mix(h) & mask;
        while (true) {
            String s = table[slot];
            if (s == null) {
                String created = new String(chars, offset, length);
                table[slot] = created;
                hashes[slot] = h;
                if (++size * 2 > table.length) {
                    grow();
                }
                return created;
            }
            if (hashes[slot] == h && equal(s, chars, offset, length)) {
                return s;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** Interns a string made elsewhere: the pool's equal string, or {@code text} itself, now pooled. */
    String intern(String text) {
        int h = text.hashCode();
        int mask = table.length - 1;
        int slot = mix(h) & mask;
        while (true) {
            String s = table[slot];
            if (s == null) {
                table[slot] = text;
                hashes[slot] = h;
                if (++size * 2 > table.length) {
                    grow();
                }
                return text;
            }
            if (hashes[slot] == h && s.equals(text)) {
                return s;
            }
            slot = (slot + 1) & mask;
        }
    }

    int size() {
        return size;
    }

    private static boolean equal(String s, char[] chars, int offset, int length) {
        if (s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (s.charAt(i) != chars[offset + i]) {
                return false;
            }
        }
        return true;
    }

    private static int mix(int h) {
        return h ^ (h >>> 16) ^ (h >>> 7);
    }

    private void grow() {
        String[] oldTable = table;
        int[] oldHashes = hashes;
        table = new String[oldTable.length * 2];
        hashes = new int[oldTable.length * 2];
        int mask = table.length - 1;
        for (int i = 0; i < oldTable.length; i++) {
            if (oldTable[i] != null) {
                int slot = mix(oldHashes[i]) & mask;
                while (table[slot] != null) {
                    slot = (slot + 1) & mask;
                }
                table[slot] = oldTable[i];
                hashes[slot] = oldHashes[i];
            }
        }
    }
}
