package io.crmhistory.query.infrastructure;

import io.crmhistory.embeddedmongo.ReadModelBackend;
import io.crmhistory.platform.privacy.DerivedKeys;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.Page;

import javax.crypto.spec.SecretKeySpec;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Used by {@code bench/scripts/readmodel-map-sizes.sh}: bytes of each map of the embedded read-model file, from the
 * inner pages' child positions (a leaf's length code is in its position, so leaves are not read).
 */
public class MapSizes {
    static long leafBytes, innerBytes, leaves, inners;

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        byte[] key = Base64.getDecoder().decode(Files.readString(dir.resolve("master.key")).trim());
        DerivedKeys keys = new DerivedKeys(new SecretKeySpec(key, "AES"));
        String name = XtsEncryptedFiles.name(dir.resolve("readmodel-4.mv"), keys.derivePassword("readmodel-file"));
        MVStore store = new MVStore.Builder().fileName(name).cacheSize(64).readOnly().open();
        Method docType = ReadModelBackend.class.getDeclaredMethod("documentMapType");
        Method idxType = ReadModelBackend.class.getDeclaredMethod("indexMapType");
        docType.setAccessible(true);
        idxType.setAccessible(true);
        List<String[]> rows = new ArrayList<>();
        long total = 0;
        for (String mapName : store.getMapNames()) {
            MVMap<?, ?> map;
            if (mapName.contains("._index_")) {
                map = store.openMap(mapName, (MVMap.Builder<Object, Object>) idxType.invoke(null));
            } else if (mapName.startsWith("databases.")) {
                map = store.openMap(mapName, (MVMap.Builder<Object, Object>) docType.invoke(null));
            } else {
                map = store.openMap(mapName);
            }
            leafBytes = innerBytes = leaves = inners = 0;
            walk(map.getRootPage());
            total += leafBytes + innerBytes;
            System.out.printf("%-75s entries %,13d  leaves %,10d (%,10.1f MB)  inner %,8d (%,8.1f MB)  total %,10.1f MB%n",
                    mapName, map.sizeAsLong(), leaves, leafBytes / 1e6, inners, innerBytes / 1e6,
                    (leafBytes + innerBytes) / 1e6);
        }
        System.out.printf("all maps %,.0f MB (upper bounds of the pages' length codes)%n", total / 1e6);
        store.close();
    }

    static void walk(Page<?, ?> page) {
        if (page.isLeaf()) {
            leaves++;
            leafBytes += page.getPos() == 0 ? 0 : DataUtils.getPageMaxLength(page.getPos());
            return;
        }
        inners++;
        innerBytes += page.getPos() == 0 ? 0 : DataUtils.getPageMaxLength(page.getPos());
        for (int i = 0; i < page.getRawChildPageCount(); i++) {
            long pos = page.getChildPagePos(i);
            if (pos != 0 && DataUtils.isLeafPosition(pos)) {
                leaves++;
                leafBytes += DataUtils.getPageMaxLength(pos);
            } else {
                walk(page.getChildPage(i));
            }
        }
    }
}
