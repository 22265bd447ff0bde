package io.stoker.engine.tests;

import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Reads one JUnit XML report as the tools write it: Surefire and Gradle ({@code <testsuite>} at the top), pytest's
 * {@code --junitxml}, go-junit-report and jest-junit ({@code <testsuites>} around them). Counts come from the
 * {@code <testcase>} elements themselves, not from the suites' attributes, which nested suites would count twice.
 * <p>
 * The file is a task's to write, so it is read as hostile: with the JDK's own streaming parser, a document type
 * declaration refused outright (no DTD is read, no entity expanded or fetched: no XXE, no billion laughs), and the
 * text kept of each failure cut short while it streams.
 */
public final class JUnitXml {
    private JUnitXml() {
    }

    /** Reads {@code in} to its end, keeping the details of at most {@code keep} failed or erred cases. */
    public static ReportFile read(InputStream in, int keep) {
        XMLStreamReader xml = null;
        try {
            xml = factory().createXMLStreamReader(in);
            return new Walk(xml, keep).run();
        } catch (XMLStreamException e) {
            return new ReportFile.NotJUnit("it is not well-formed XML" + where(e) + ": " + said(e));
        } finally {
            if (xml != null) {
                try {
                    xml.close();
                } catch (XMLStreamException ignored) {
                    // read to its end or given up on: nothing more to learn from it
                }
            }
        }
    }

    private static XMLInputFactory factory() {
        // the JDK's parser, not whichever one the class path brings: its settings below are known to hold
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setProperty(XMLInputFactory.IS_COALESCING, false);
        return f;
    }

    private static String where(XMLStreamException e) {
        return e.getLocation() == null || e.getLocation().getLineNumber() < 0 ? ""
                : " (line " + e.getLocation().getLineNumber() + ")";
    }

    /** The parser's own words, without its {@code ParseError at [row,col]} preamble. */
    private static String said(XMLStreamException e) {
        String m = String.valueOf(e.getMessage());
        int at = m.indexOf("Message: ");
        String words = (at >= 0 ? m.substring(at + "Message: ".length()) : m).strip();
        int end = words.indexOf('\n');
        return cut(end >= 0 ? words.substring(0, end) : words, 200);
    }

    static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }

    /** One pass over the document. */
    private static final class Walk {
        private final XMLStreamReader xml;
        private final int keep;
        private final Deque<String> suites = new ArrayDeque<>();
        private final List<FailedTest> failures = new ArrayList<>();
        private int total;
        private int failed;
        private int errors;
        private int skipped;
        private long micros;

        Walk(XMLStreamReader xml, int keep) {
            this.xml = xml;
            this.keep = keep;
        }

        ReportFile run() throws XMLStreamException {
            boolean root = true;
            while (xml.hasNext()) {
                int event = xml.next();
                if (event == XMLStreamConstants.DTD) {
                    return new ReportFile.NotJUnit("it declares a document type (<!DOCTYPE>), which a test report "
                            + "never needs; it is not read");
                }
                if (event == XMLStreamConstants.START_ELEMENT) {
                    String name = xml.getLocalName();
                    if (root && !name.equals("testsuite") && !name.equals("testsuites")) {
                        return new ReportFile.NotJUnit("its root element is <" + cut(name, 60)
                                + ">, not <testsuite> or <testsuites>");
                    }
                    root = false;
                    if (name.equals("testsuite")) suites.push(attribute("name"));
                    else if (name.equals("testcase")) testCase();
                } else if (event == XMLStreamConstants.END_ELEMENT && xml.getLocalName().equals("testsuite")) {
                    suites.pop();
                }
            }
            if (root) return new ReportFile.NotJUnit("it holds no element");
            return new ReportFile.JUnit(total, failed, errors, skipped, micros / 1000, failures);
        }

        /** At a {@code <testcase>}: reads it to its end tag. */
        private void testCase() throws XMLStreamException {
            String className = attribute("classname");
            String name = attribute("name");
            micros += micros(attribute("time"));
            total++;
            boolean counted = false;
            int depth = 1;
            while (depth > 0) {
                int event = xml.next();
                if (event == XMLStreamConstants.END_ELEMENT) {
                    depth--;
                } else if (event == XMLStreamConstants.START_ELEMENT) {
                    String child = xml.getLocalName();
                    FailureKind kind = child.equals("failure") ? FailureKind.FAILURE
                            : child.equals("error") ? FailureKind.ERROR : null;
                    if (kind != null && !counted) {
                        counted = true;
                        if (kind == FailureKind.FAILURE) failed++;
                        else errors++;
                        String message = attribute("message");
                        String detail = text(TestSummary.DETAIL_CHARS); // reads to its end tag
                        if (failures.size() < keep) failures.add(failure(className, name, kind, message, detail));
                    } else if (child.equals("skipped") && !counted) {
                        counted = true;
                        skipped++;
                        depth++;
                    } else {
                        depth++;
                    }
                }
            }
        }

        private FailedTest failure(String className, String name, FailureKind kind, String message, String detail) {
            String said = message.isBlank() ? detail.strip().lines().findFirst().orElse("") : message;
            return new FailedTest(suites.isEmpty() ? "" : suites.peek(), className, name, kind,
                    cut(said, TestSummary.MESSAGE_CHARS), detail);
        }

        /** The text inside the current element, up to its end tag, keeping at most {@code max} characters. */
        private String text(int max) throws XMLStreamException {
            StringBuilder out = new StringBuilder();
            boolean over = false;
            int depth = 1;
            while (depth > 0) {
                int event = xml.next();
                if (event == XMLStreamConstants.START_ELEMENT) depth++;
                else if (event == XMLStreamConstants.END_ELEMENT) depth--;
                else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA
                        || event == XMLStreamConstants.SPACE) {
                    if (out.length() < max) {
                        int room = max - out.length();
                        int n = xml.getTextLength();
                        out.append(xml.getTextCharacters(), xml.getTextStart(), Math.min(n, room));
                        if (n > room) over = true;
                    } else {
                        over = true;
                    }
                }
            }
            return over ? out + "…" : out.toString();
        }

        private String attribute(String name) {
            String v = xml.getAttributeValue(null, name);
            return v == null ? "" : cut(v, TestSummary.MESSAGE_CHARS);
        }

        /** A {@code time} in seconds ({@code 0.042}, {@code 1,234.5}) as microseconds; 0 when it is none. */
        private static long micros(String seconds) {
            try {
                double s = Double.parseDouble(seconds.replace(",", "").strip());
                return Double.isFinite(s) && s > 0 ? Math.round(s * 1_000_000) : 0;
            } catch (NumberFormatException e) {
                return 0;
            }
        }
    }
}
