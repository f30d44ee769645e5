package io.smdrelease.cli;

public final class Main {
    public static void main(String[] args) {
        System.out.println("smd-release");
    }
}
