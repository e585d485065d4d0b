       IDENTIFICATION DIVISION.
       PROGRAM-ID. RPTGEN.
       AUTHOR. P K SINGH.
       DATE-WRITTEN. 05/30/1996.
      *================================================================*
      * RPTGEN - ACCOUNT CYCLE REPORT (RUN BY PROC RPTPROC NIGHTLY AND *
      *          BY THE MONTH-END STATEMENT PROC)                      *
      *   RPTCTL : ONE CONTROL CARD - REPORT ID, TITLE, DETAIL SWITCH  *
      *   ACCTIN : ACCOUNTS AFTER THE NIGHTLY UPDATE                   *
      *   REJIN  : ACCTVAL REJECTS (DD DUMMY AT MONTH END)             *
      *   RPTOUT : 133-BYTE PRINT FILE                                 *
      *   PRINTS OPTIONAL DETAIL LINES, TOTALS BY ACCOUNT TYPE, A      *
      *   GRAND TOTAL AND THE REJECTS WITH A COUNT PER REASON CODE.    *
      *----------------------------------------------------------------*
      * 1996-05-30 PKS  ORIGINAL                                       *
      * 2003-02-14 AMC  DORMANT COUNT IN THE TYPE TOTALS               *
      *================================================================*
       ENVIRONMENT DIVISION.
       INPUT-OUTPUT SECTION.
       FILE-CONTROL.
           SELECT RPT-CTL  ASSIGN TO RPTCTL.
           SELECT ACCT-IN  ASSIGN TO ACCTIN.
           SELECT REJ-IN   ASSIGN TO REJIN.
           SELECT RPT-OUT  ASSIGN TO RPTOUT.
       DATA DIVISION.
       FILE SECTION.
       FD  RPT-CTL.
       01  RPT-CTL-REC                 PIC X(80).
       FD  ACCT-IN.
           COPY ACCTREC.
       FD  REJ-IN.
           COPY REJREC.
       FD  RPT-OUT.
       01  RPT-LINE                    PIC X(133).
       WORKING-STORAGE SECTION.
       COPY COMWORK.
       01  WS-CTL-CARD.
           05  CTL-REPORT-ID           PIC X(08).
           05  CTL-TITLE               PIC X(40).
           05  CTL-DETAIL-SW           PIC X(01).
               88  CTL-PRINT-DETAIL    VALUE 'Y'.
           05  FILLER                  PIC X(31).
       01  WS-REJ-EOF-SW               PIC X(01) VALUE 'N'.
           88  WS-REJ-EOF              VALUE 'Y'.
       01  WS-PAGE-CONTROL.
           05  WS-PAGE-NO              PIC S9(05) COMP-3 VALUE ZERO.
           05  WS-LINE-COUNT           PIC S9(03) COMP-3 VALUE 99.
           05  WS-LINES-PER-PAGE       PIC S9(03) COMP-3 VALUE 55.
      *    ACCOUNT TYPE NAMES: CODE + PRINT NAME
       01  WS-TYPE-NAMES-DATA.
           05  FILLER  PIC X(13) VALUE 'SSAVINGS     '.
           05  FILLER  PIC X(13) VALUE 'CCHECKING    '.
           05  FILLER  PIC X(13) VALUE 'LLOANS       '.
           05  FILLER  PIC X(13) VALUE 'TCERTIFICATES'.
       01  WS-TYPE-NAMES REDEFINES WS-TYPE-NAMES-DATA.
           05  WS-TYPE-ENTRY           OCCURS 4 TIMES
                                       INDEXED BY TY-IDX.
               10  WS-TYPE-CODE        PIC X(01).
               10  WS-TYPE-NAME        PIC X(12).
       01  WS-TYPE-TOTALS.
           05  WS-TYPE-TOT             OCCURS 4 TIMES.
               10  WS-TT-COUNT         PIC S9(07)    COMP-3.
               10  WS-TT-DORMANT       PIC S9(07)    COMP-3.
               10  WS-TT-BALANCE       PIC S9(13)V99 COMP-3.
               10  WS-TT-ACCRUED       PIC S9(11)V99 COMP-3.
               10  WS-TT-FEES          PIC S9(11)V99 COMP-3.
       01  WS-GRAND-TOTALS.
           05  WS-GT-COUNT             PIC S9(07)    COMP-3 VALUE 0.
           05  WS-GT-DORMANT           PIC S9(07)    COMP-3 VALUE 0.
           05  WS-GT-BALANCE           PIC S9(13)V99 COMP-3 VALUE 0.
           05  WS-GT-ACCRUED           PIC S9(11)V99 COMP-3 VALUE 0.
           05  WS-GT-FEES              PIC S9(11)V99 COMP-3 VALUE 0.
           05  WS-CLOSED-COUNT         PIC S9(07)    COMP-3 VALUE 0.
       01  WS-REASON-COUNTS.
           05  WS-RSN-COUNT            PIC S9(05) COMP-3 OCCURS 9.
       01  WS-SUB                      PIC S9(04) COMP.
       01  WS-RSN-SUB                  PIC 9(02).
       01  WS-PRINT-LINE               PIC X(133).
      *    PRINT LINES
       01  HDR-1.
           05  FILLER                  PIC X(01) VALUE SPACE.
           05  HDR-REPORT-ID           PIC X(08).
           05  FILLER                  PIC X(10) VALUE SPACES.
           05  HDR-TITLE               PIC X(40).
           05  FILLER                  PIC X(10) VALUE ' RUN DATE '.
           05  HDR-RUN-DATE            PIC 9999/99/99.
           05  FILLER                  PIC X(07) VALUE '  PAGE '.
           05  HDR-PAGE                PIC ZZZZ9.
           05  FILLER                  PIC X(42) VALUE SPACES.
       01  HDR-2.
           05  FILLER                  PIC X(01) VALUE SPACE.
           05  FILLER                  PIC X(60) VALUE
           'ACCOUNT    TYPE STATUS            BALANCE    ACCRUED INT'.
           05  FILLER                  PIC X(72) VALUE SPACES.
       01  DTL-LINE.
           05  FILLER                  PIC X(01) VALUE SPACE.
           05  DTL-ACCT-NUMBER         PIC X(10).
           05  FILLER                  PIC X(02) VALUE SPACES.
           05  DTL-TYPE                PIC X(01).
           05  FILLER                  PIC X(05) VALUE SPACES.
           05  DTL-STATUS              PIC X(01).
           05  FILLER                  PIC X(04) VALUE SPACES.
           05  DTL-BALANCE             PIC ---,---,---,--9.99.
           05  FILLER                  PIC X(02) VALUE SPACES.
           05  DTL-ACCRUED             PIC ---,---,--9.99.
           05  FILLER                  PIC X(75) VALUE SPACES.
       01  TOT-LINE.
           05  FILLER                  PIC X(01) VALUE SPACE.
           05  TOT-NAME                PIC X(12).
           05  FILLER                  PIC X(02) VALUE SPACES.
           05  TOT-COUNT               PIC Z,ZZZ,ZZ9.
           05  FILLER                  PIC X(02) VALUE SPACES.
           05  TOT-DORMANT             PIC Z,ZZZ,ZZ9.
           05  FILLER                  PIC X(02) VALUE SPACES.
           05  TOT-BALANCE             PIC ---,---,---,---,--9.99.
           05  FILLER                  PIC X(02) VALUE SPACES.
           05  TOT-ACCRUED             PIC ---,---,---,--9.99.
           05  FILLER                  PIC X(02) VALUE SPACES.
           05  TOT-FEES                PIC ---,---,---,--9.99.
           05  FILLER                  PIC X(34) VALUE SPACES.
       01  REJ-LINE.
           05  FILLER                  PIC X(01) VALUE SPACE.
           05  RL-ACCT-NUMBER          PIC X(10).
           05  FILLER                  PIC X(02) VALUE SPACES.
           05  RL-REASON-CODE          PIC X(03).
           05  FILLER                  PIC X(02) VALUE SPACES.
           05  RL-REASON-TEXT          PIC X(30).
           05  FILLER                  PIC X(02) VALUE SPACES.
           05  RL-FIELD-VALUE          PIC X(30).
           05  FILLER                  PIC X(53) VALUE SPACES.

       PROCEDURE DIVISION.
       0000-MAIN.
           PERFORM 1000-INIT
           PERFORM 2000-PROCESS-ACCOUNT THRU 2000-EXIT
               UNTIL WS-EOF
           PERFORM 3000-PRINT-TOTALS
           PERFORM 4000-PRINT-REJECTS THRU 4000-EXIT
           PERFORM 9000-TERM
           GOBACK.

       1000-INIT.
           MOVE FUNCTION CURRENT-DATE(1:8) TO WS-RUN-DATE
           OPEN INPUT  RPT-CTL ACCT-IN REJ-IN
                OUTPUT RPT-OUT
           READ RPT-CTL INTO WS-CTL-CARD
               AT END
                   MOVE 'RPTGEN'             TO CTL-REPORT-ID
                   MOVE 'ACCOUNT CYCLE REPORT' TO CTL-TITLE
                   MOVE 'N'                  TO CTL-DETAIL-SW
           END-READ
           MOVE CTL-REPORT-ID TO HDR-REPORT-ID
           MOVE CTL-TITLE     TO HDR-TITLE
           MOVE WS-RUN-DATE-N TO HDR-RUN-DATE
           INITIALIZE WS-TYPE-TOTALS WS-REASON-COUNTS.

      *    ONE ACCOUNT PER PASS. CLOSED ACCOUNTS ARE ONLY COUNTED.
       2000-PROCESS-ACCOUNT.
           READ ACCT-IN
               AT END
                   SET WS-EOF TO TRUE
                   GO TO 2000-EXIT
           END-READ
           ADD 1 TO WS-RECORDS-READ
           IF ACCT-CLOSED OR ACCT-CHARGED-OFF
               ADD 1 TO WS-CLOSED-COUNT
               GO TO 2000-EXIT
           END-IF
           SET TY-IDX TO 1
           SEARCH WS-TYPE-ENTRY
               AT END
                   DISPLAY 'RPTGEN: UNKNOWN TYPE ' ACCT-TYPE
                           ' ON ' ACCT-NUMBER
                   GO TO 2000-EXIT
               WHEN WS-TYPE-CODE (TY-IDX) = ACCT-TYPE
                   SET WS-SUB TO TY-IDX
           END-SEARCH
           ADD 1                TO WS-TT-COUNT (WS-SUB)
           ADD ACCT-BALANCE     TO WS-TT-BALANCE (WS-SUB)
           ADD ACCT-ACCRUED-INT TO WS-TT-ACCRUED (WS-SUB)
           ADD ACCT-FEES-MTD    TO WS-TT-FEES (WS-SUB)
           IF ACCT-DORMANT
               ADD 1 TO WS-TT-DORMANT (WS-SUB)
           END-IF
           IF CTL-PRINT-DETAIL
               PERFORM 2100-PRINT-DETAIL
           END-IF.
       2000-EXIT.
           EXIT.

       2100-PRINT-DETAIL.
           MOVE ACCT-NUMBER      TO DTL-ACCT-NUMBER
           MOVE ACCT-TYPE        TO DTL-TYPE
           MOVE ACCT-STATUS      TO DTL-STATUS
           MOVE ACCT-BALANCE     TO DTL-BALANCE
           MOVE ACCT-ACCRUED-INT TO DTL-ACCRUED
           MOVE DTL-LINE         TO WS-PRINT-LINE
           PERFORM 8000-WRITE-LINE.

      *    ONE LINE PER ACCOUNT TYPE, THEN THE GRAND TOTAL
       3000-PRINT-TOTALS.
           PERFORM VARYING WS-SUB FROM 1 BY 1 UNTIL WS-SUB > 4
               MOVE WS-TYPE-NAME (WS-SUB)  TO TOT-NAME
               MOVE WS-TT-COUNT (WS-SUB)   TO TOT-COUNT
               MOVE WS-TT-DORMANT (WS-SUB) TO TOT-DORMANT
               MOVE WS-TT-BALANCE (WS-SUB) TO TOT-BALANCE
               MOVE WS-TT-ACCRUED (WS-SUB) TO TOT-ACCRUED
               MOVE WS-TT-FEES (WS-SUB)    TO TOT-FEES
               MOVE TOT-LINE TO WS-PRINT-LINE
               PERFORM 8000-WRITE-LINE
               ADD WS-TT-COUNT (WS-SUB)   TO WS-GT-COUNT
               ADD WS-TT-DORMANT (WS-SUB) TO WS-GT-DORMANT
               ADD WS-TT-BALANCE (WS-SUB) TO WS-GT-BALANCE
               ADD WS-TT-ACCRUED (WS-SUB) TO WS-GT-ACCRUED
               ADD WS-TT-FEES (WS-SUB)    TO WS-GT-FEES
           END-PERFORM
           MOVE 'GRAND TOTAL'   TO TOT-NAME
           MOVE WS-GT-COUNT     TO TOT-COUNT
           MOVE WS-GT-DORMANT   TO TOT-DORMANT
           MOVE WS-GT-BALANCE   TO TOT-BALANCE
           MOVE WS-GT-ACCRUED   TO TOT-ACCRUED
           MOVE WS-GT-FEES      TO TOT-FEES
           MOVE TOT-LINE TO WS-PRINT-LINE
           PERFORM 8000-WRITE-LINE
      *    CLOSED AND CHARGED-OFF ACCOUNTS: COUNT ONLY
           INITIALIZE TOT-LINE
           MOVE 'CLOSED'        TO TOT-NAME
           MOVE WS-CLOSED-COUNT TO TOT-COUNT
           MOVE TOT-LINE TO WS-PRINT-LINE
           PERFORM 8000-WRITE-LINE.

      *    REJECTS FROM ACCTVAL, THEN A COUNT PER REASON CODE
       4000-PRINT-REJECTS.
           READ REJ-IN
               AT END
                   SET WS-REJ-EOF TO TRUE
           END-READ
           IF WS-REJ-EOF
               GO TO 4000-EXIT
           END-IF
           MOVE 99 TO WS-LINE-COUNT
           PERFORM UNTIL WS-REJ-EOF
               MOVE REJ-ACCT-NUMBER TO RL-ACCT-NUMBER
               MOVE REJ-REASON-CODE TO RL-REASON-CODE
               MOVE REJ-REASON-TEXT TO RL-REASON-TEXT
               MOVE REJ-FIELD-VALUE TO RL-FIELD-VALUE
               MOVE REJ-LINE TO WS-PRINT-LINE
               PERFORM 8000-WRITE-LINE
               MOVE REJ-REASON-CODE (2:2) TO WS-RSN-SUB
               IF WS-RSN-SUB > 0 AND < 10
                   ADD 1 TO WS-RSN-COUNT (WS-RSN-SUB)
               END-IF
               READ REJ-IN
                   AT END SET WS-REJ-EOF TO TRUE
               END-READ
           END-PERFORM
           PERFORM 4100-PRINT-REASON-COUNTS.
       4000-EXIT.
           EXIT.

       4100-PRINT-REASON-COUNTS.
           PERFORM VARYING WS-RSN-SUB FROM 1 BY 1 UNTIL WS-RSN-SUB > 9
               IF WS-RSN-COUNT (WS-RSN-SUB) NOT= ZERO
                   MOVE SPACES TO REJ-LINE
                   STRING 'R0' WS-RSN-SUB (2:1) DELIMITED BY SIZE
                          INTO RL-REASON-CODE
                   MOVE 'REJECTS' TO RL-REASON-TEXT
                   MOVE WS-RSN-COUNT (WS-RSN-SUB) TO WS-DISPLAY-COUNT
                   MOVE WS-DISPLAY-COUNT TO RL-FIELD-VALUE
                   MOVE REJ-LINE TO WS-PRINT-LINE
                   PERFORM 8000-WRITE-LINE
               END-IF
           END-PERFORM.

      *    PAGE BREAK EVERY WS-LINES-PER-PAGE LINES
       8000-WRITE-LINE.
           IF WS-LINE-COUNT > WS-LINES-PER-PAGE
               PERFORM 8100-PRINT-HEADINGS
           END-IF
           WRITE RPT-LINE FROM WS-PRINT-LINE AFTER ADVANCING 1 LINE
           ADD 1 TO WS-LINE-COUNT.

       8100-PRINT-HEADINGS.
           ADD 1 TO WS-PAGE-NO
           MOVE WS-PAGE-NO TO HDR-PAGE
           WRITE RPT-LINE FROM HDR-1 AFTER ADVANCING PAGE
           WRITE RPT-LINE FROM HDR-2 AFTER ADVANCING 2 LINES
           MOVE 3 TO WS-LINE-COUNT.

       9000-TERM.
           CLOSE RPT-CTL ACCT-IN REJ-IN RPT-OUT
           DISPLAY 'RPTGEN: ACCOUNTS READ ' WS-RECORDS-READ
           DISPLAY 'RPTGEN: PAGES PRINTED ' WS-PAGE-NO.
