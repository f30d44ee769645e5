package io.smdrelease.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smdrelease.error.InvalidInputException;
import org.junit.jupiter.api.Test;

class ImageRepositoryTest {

    @Test
    void parsesEcrEcrPublicAndLocalRepositories() {
        assertEquals(
                new ImageRepository("123456789012.dkr.ecr.us-east-1.amazonaws.com", "sagemaker-distribution"),
                ImageRepository.parse("123456789012.dkr.ecr.us-east-1.amazonaws.com/sagemaker-distribution"));
        assertEquals(
                new ImageRepository("public.ecr.aws", "alias/smd"), ImageRepository.parse("public.ecr.aws/alias/smd"));
        ImageRepository local = ImageRepository.parse("127.0.0.1:5000/team/smd");
        assertEquals("127.0.0.1:5000", local.host());
        assertTrue(local.isLocal());
        assertTrue(ImageRepository.parse("localhost/smd").isLocal());
        assertFalse(ImageRepository.parse("public.ecr.aws/alias/smd").isLocal());
        assertEquals("127.0.0.1:5000/team/smd", local.toString());
    }

    @Test
    void rejectsWhatIsNotHostSlashPath_namingTheValue() {
        for (String bad :
                new String[] {"smd", "/smd", "registry/smd", "host.example/Upper", "host.example/", "a.b/x//y"}) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> ImageRepository.parse(bad));
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void digestsAndTagsAreChecked() {
        String digest = "sha256:" + "a".repeat(64);
        assertEquals(digest, ImageRepository.requireDigest(digest));
        assertThrows(InvalidInputException.class, () -> ImageRepository.requireDigest("sha256:abc"));
        assertThrows(InvalidInputException.class, () -> ImageRepository.requireDigest("4.4.1-cpu"));
        assertEquals("4.4.1-cpu", ImageRepository.requireTag("4.4.1-cpu"));
        assertThrows(InvalidInputException.class, () -> ImageRepository.requireTag("-cpu"));
        assertThrows(InvalidInputException.class, () -> ImageRepository.requireTag("a".repeat(129)));
    }
}
