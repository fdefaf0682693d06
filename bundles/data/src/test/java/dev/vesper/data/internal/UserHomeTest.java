package dev.vesper.data.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UserHomeTest {
    @Test
    void theShellsRealHomeWinsOverTheOneItMovedForGogo() {
        String before = System.getProperty(UserHome.PROPERTY);
        try {
            System.clearProperty(UserHome.PROPERTY);
            assertEquals(System.getProperty("user.home"), UserHome.get());
            System.setProperty(UserHome.PROPERTY, "/home/someone");
            assertEquals("/home/someone", UserHome.get());
        } finally {
            if (before == null) {
                System.clearProperty(UserHome.PROPERTY);
            } else {
                System.setProperty(UserHome.PROPERTY, before);
            }
        }
    }
}
