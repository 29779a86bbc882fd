import dev.bbr.artifacts.codec.AgeRecipients;
import dev.bbr.artifacts.codec.ArtifactCodec;
import dev.bbr.artifacts.codec.Compression;
import java.io.OutputStream;
import java.util.Random;

/**
 * Encode throughput of bbr's at-rest codecs on the running JVM, without the lab: what the JDK the
 * runtime is linked from (cli/src/build/jlink-runtime) means for {@code --encrypt-to}. Random data,
 * so zstd cannot shrink it and the figure is the worst case. Run by bench/codec-throughput.
 *
 *   java -cp CLASSES:LIB/* CodecThroughput RECIPIENT MIB CODEC...
 */
public final class CodecThroughput {
    public static void main(String[] args) throws Exception {
        AgeRecipients recipients = AgeRecipients.parse(args[0]);
        byte[] data = new byte[Integer.parseInt(args[1]) << 20];
        new Random(42).nextBytes(data);
        for (int i = 2; i < args.length; i++) {
            ArtifactCodec codec = ArtifactCodec.of(Compression.parse(args[i]), recipients);
            double best = 0;
            for (int round = 0; round < 4; round++) {   // the first rounds warm the JIT up
                long start = System.nanoTime();
                try (OutputStream out = codec.encode(OutputStream.nullOutputStream())) {
                    for (int off = 0; off < data.length; off += 65536) {
                        out.write(data, off, Math.min(65536, data.length - off));
                    }
                }
                best = Math.max(best, data.length / 1e6 / ((System.nanoTime() - start) / 1e9));
            }
            System.out.printf("java %-3d %s + age: %5.0f MB/s%n", Runtime.version().feature(), args[i], best);
        }
    }
}
