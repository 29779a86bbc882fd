package dev.bbr.artifacts.metadata;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The order in which gopkg.in/yaml.v2 emits string map keys. It is not plain code-point order: runs of
 * digits compare numerically ({@code ./f2} before {@code ./f10}) and non-letters sort before letters.
 * Reproduced rule for rule so checksum maps come out in the same order as Go bbr writes them.
 */
final class YamlV2KeyOrder {
    private YamlV2KeyOrder() {
    }

    static List<String> sortedKeys(Map<String, String> map) {
        List<String> keys = new ArrayList<>(map.keySet());
        keys.sort(Comparator.naturalOrder());
        try {
            // Tie-break on natural order so equal-by-yaml keys (e.g. "a01" / "a1") stay deterministic.
            keys.sort((a, b) -> less(a, b) ? -1 : less(b, a) ? 1 : a.compareTo(b));
        } catch (IllegalArgumentException inconsistentOrder) {
            // The yaml.v2 rule is not a total order for every exotic input; TimSort may notice.
            // Natural order (already applied) is still a deterministic, valid output.
        }
        return keys;
    }

    /** yaml.v2 {@code keyList.Less} restricted to string keys. */
    static boolean less(String a, String b) {
        int[] ar = a.codePoints().toArray();
        int[] br = b.codePoints().toArray();
        for (int i = 0; i < ar.length && i < br.length; i++) {
            if (ar[i] == br[i]) {
                continue;
            }
            boolean al = Character.isLetter(ar[i]);
            boolean bl = Character.isLetter(br[i]);
            if (al && bl) {
                return ar[i] < br[i];
            }
            if (al || bl) {
                return bl;
            }
            long an = 0;
            long bn = 0;
            if (ar[i] == '0' || br[i] == '0') {
                for (int j = i - 1; j >= 0 && Character.isDigit(ar[j]); j--) {
                    if (ar[j] != '0') {
                        an = 1;
                        bn = 1;
                        break;
                    }
                }
            }
            int ai = i;
            for (; ai < ar.length && Character.isDigit(ar[ai]); ai++) {
                an = an * 10 + (ar[ai] - '0');
            }
            int bi = i;
            for (; bi < br.length && Character.isDigit(br[bi]); bi++) {
                bn = bn * 10 + (br[bi] - '0');
            }
            if (an != bn) {
                return an < bn;
            }
            if (ai != bi) {
                return ai < bi;
            }
            return ar[i] < br[i];
        }
        return ar.length < br.length;
    }
}
