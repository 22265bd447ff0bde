package io.stoker.dsl.isolate

import groovy.transform.CompileStatic

/** Worker main classes that misbehave, so specs can see the isolated compiler contain them. */
@CompileStatic
class SleepingWorker {
    static void main(String[] args) {
        System.out.write(10) // a newline: up, as a real worker says (the time limit counts from here)
        System.out.flush()
        System.in.read()
        Thread.sleep(600_000) // the parent kills it long before
    }
}

@CompileStatic
class HungryWorker {
    static void main(String[] args) {
        System.in.read()
        def hoard = []
        for (int i = 0; i < 100_000; i++) hoard << new byte[16 << 20] // 1.6 TB: OutOfMemoryError long before
    }
}

@CompileStatic
class FloodingWorker {
    static void main(String[] args) {
        System.in.read()
        def line = ('x' * 8191 + '\n').bytes
        for (int i = 0; i < 1_000_000; i++) System.out.write(line) // 8 GB: the parent stops it at its limit
    }
}

/** Answers with a forged model that skips validation: a task needing itself. */
@CompileStatic
class LyingWorker {
    static void main(String[] args) {
        System.in.readAllBytes()
        System.out.print('''{"compiled":true,"jobfile":{"file":"x","jobs":[{"name":"web","description":"","parameters":[],
"env":{},"secrets":[],"timeoutMillis":0,"agent":null,"concurrency":0,"retryOnRestart":false,
"triggers":{"push":[],"cron":[],"poll":[],"after":[],"onStartup":false,"cancelSuperseded":false},"tasks":[{"name":"a","baseName":"a","matrix":{},
"steps":[{"type":"sh","script":"rm -rf /","pos":{"line":1,"col":1}}],"needs":["a"],"input":null,"env":{},"secrets":[],
"artifacts":[],"artifactsWhen":null,"retry":0,"timeoutMillis":0,"allowFailure":false,"when":null,"agent":null,"pos":{"line":1,"col":1}}],"publish":null,"pos":{"line":1,"col":1}}]},
"diagnostics":[]}''')
    }
}

/** Reports what it can see of its environment and the network as a diagnostic message. */
@CompileStatic
class ProbingWorker {
    static void main(String[] args) {
        int port = Integer.parseInt(new String(System.in.readAllBytes()).find(/"text":"(\d+)"/) { List<String> m -> m[1] } as String)
        String network
        try (def socket = new Socket()) {
            socket.connect(new InetSocketAddress('127.0.0.1', port), 2000)
            network = 'connected'
        } catch (IOException e) {
            network = 'no network'
        }
        // bubblewrap always sets PWD (the working directory, nothing of the server's environment): not counted
        String message = "env=${(System.getenv().keySet() - 'PWD').size()} network=${network}"
        System.out.print('{"compiled":false,"jobfile":null,"diagnostics":[{"file":"x","line":0,"col":0,"message":"' + message + '","severity":"ERROR"}]}')
    }
}

/** Burns CPU for ever on all the cores it has; only a CPU limit (or the wall clock) stops it. */
@CompileStatic
class SpinningWorker {
    static void main(String[] args) {
        System.in.read()
        long n = 0
        while (true) n++
    }
}

/** Tries to write the file named in the request and reports what happened as a diagnostic. */
@CompileStatic
class WritingWorker {
    static void main(String[] args) {
        String path = new String(System.in.readAllBytes()).find(/"text":"([^"]+)"/) { List<String> m -> m[1] } as String
        String outcome
        try {
            new File(path).text = 'pwned by the worker'
            outcome = 'wrote'
        } catch (IOException e) {
            outcome = 'refused'
        }
        System.out.print('{"compiled":false,"jobfile":null,"diagnostics":[{"file":"x","line":0,"col":0,"message":"' + outcome + '","severity":"ERROR"}]}')
    }
}

/** A real worker behind a JVM that takes 6 s to come up (as a cold one can on a loaded machine). */
@CompileStatic
class SlowStartWorker {
    static void main(String[] args) {
        Thread.sleep(6_000)
        JobfileWorker.main(args)
    }
}
