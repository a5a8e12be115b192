package ai.instructflow.activities.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A model folder as one zip file, the way it travels through the API: in as an upload, out as an
 * export. Unpacking refuses what a folder of model files never holds (paths that climb out, links,
 * more than {@code maxBytes}), and a zip whose files all sit in one top folder (as zipping a folder
 * makes it) is unpacked into that folder's contents.
 */
public final class ModelArchive {

    /** A zip that is not a model folder, with the reason. */
    public static final class BadArchive extends IOException {
        public BadArchive(String message) {
            super(message);
        }
    }

    private ModelArchive() {}

    public static void unpack(InputStream zip, Path dir, long maxBytes) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        long total = 0;
        int files = 0;
        try (ZipInputStream in = new ZipInputStream(zip)) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                Path target = root.resolve(entry.getName()).normalize();
                if (!target.startsWith(root) || target.equals(root)) {
                    throw new BadArchive("entry '" + entry.getName() + "' lies outside the folder");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (OutputStream out = Files.newOutputStream(target)) {
                    byte[] buffer = new byte[1 << 16];
                    for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                        total += n;
                        if (total > maxBytes) {
                            throw new BadArchive("unpacks to more than " + maxBytes + " bytes");
                        }
                        out.write(buffer, 0, n);
                    }
                }
                files++;
            }
        }
        if (files == 0) {
            throw new BadArchive("is not a zip of a model folder: no files in it");
        }
        flattenSingleFolder(root);
    }

    /** Every regular file of {@code dir}, at the top of the zip. */
    public static void pack(Path dir, OutputStream zip) throws IOException {
        ZipOutputStream out = new ZipOutputStream(zip);
        for (Path file : files(dir)) {
            out.putNextEntry(new ZipEntry(dir.relativize(file).toString()));
            Files.copy(file, out);
            out.closeEntry();
        }
        out.finish();
    }

    /** The folder's regular files, sorted, at any depth. */
    public static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static void flattenSingleFolder(Path root) throws IOException {
        List<Path> top;
        try (Stream<Path> list = Files.list(root)) {
            top = list.toList();
        }
        if (top.size() != 1 || !Files.isDirectory(top.get(0))) {
            return;
        }
        Path only = top.get(0);
        try (Stream<Path> inner = Files.list(only)) {
            for (Path p : inner.toList()) {
                Files.move(p, root.resolve(p.getFileName()));
            }
        }
        Files.delete(only);
    }
}
