       IDENTIFICATION DIVISION.
       PROGRAM-ID. ACCTVAL.
       AUTHOR. R J HOLLIS.
       INSTALLATION. SAVINGS AND LOANS DATA CENTER.
       DATE-WRITTEN. 03/12/1991.
      *================================================================*
      * ACCTVAL - NIGHTLY ACCOUNT MASTER VALIDATION (SLNIGHT STEP010)  *
      *   READS THE ACCOUNT MASTER, EDITS EVERY RECORD AND SPLITS IT   *
      *   INTO A VALIDATED FILE (INPUT TO INTCALC) AND A REJECT FILE   *
      *   CARRYING A REASON CODE (PRINTED BY RPTGEN).                  *
      *   ACTIVE DEPOSIT ACCOUNTS WITHOUT ACTIVITY FOR 365 DAYS ARE    *
      *   MOVED TO DORMANT STATUS ON THE WAY THROUGH.                  *
      *   RETURN CODE  0 = CLEAN RUN                                   *
      *                4 = REJECTS WRITTEN (JOB CONTINUES)             *
      *               16 = FILE ERROR (PROGRAM ABENDS U1016)           *
      *----------------------------------------------------------------*
      * CHANGE LOG                                                     *
      * 1991-03-12 RJH  ORIGINAL                                       *
      * 1996-05-30 PKS  STATE AND ZIP EDITS (CR 5120)                  *
      * 1998-11-20 DLW  Y2K - DATE EDITS MOVED TO DATEUTIL             *
      * 2003-02-14 AMC  DORMANCY AFTER 365 DAYS (REG CHANGE 03-07)     *
      *================================================================*
       ENVIRONMENT DIVISION.
       INPUT-OUTPUT SECTION.
       FILE-CONTROL.
           SELECT ACCT-MASTER    ASSIGN TO ACCTMAST
                  ORGANIZATION IS SEQUENTIAL
                  FILE STATUS IS WS-MAST-STATUS.
           SELECT ACCT-VALID-OUT ASSIGN TO ACCTVALD
                  FILE STATUS IS WS-VALD-STATUS.
           SELECT REJECT-FILE    ASSIGN TO REJECTS
                  FILE STATUS IS WS-REJ-STATUS.
       DATA DIVISION.
       FILE SECTION.
       FD  ACCT-MASTER
           RECORDING MODE IS F
           BLOCK CONTAINS 0 RECORDS.
           COPY ACCTREC.
       FD  ACCT-VALID-OUT
           RECORDING MODE IS F
           BLOCK CONTAINS 0 RECORDS.
       01  VALID-OUT-REC               PIC X(300).
       FD  REJECT-FILE
           RECORDING MODE IS F.
           COPY REJREC.
       WORKING-STORAGE SECTION.
       COPY COMWORK.
       COPY DATEPARM REPLACING ==:TAG:== BY ==WS==.
       01  WS-FILE-STATUSES.
           05  WS-MAST-STATUS          PIC X(02).
           05  WS-VALD-STATUS          PIC X(02).
           05  WS-REJ-STATUS           PIC X(02).
       01  WS-SWITCHES.
           05  WS-VALID-SW             PIC X(01).
               88  WS-RECORD-VALID     VALUE 'Y'.
               88  WS-RECORD-INVALID   VALUE 'N'.
       01  WS-COUNTERS.
           05  WS-DORMANT-COUNT        PIC S9(07) COMP-3 VALUE ZERO.
           05  WS-REASON-CNT           PIC S9(07) COMP-3
                                       OCCURS 9 TIMES.
       01  WS-REASON-IDX               PIC 9(02).
       01  WS-SUB                      PIC 9(02).
       01  WS-DORMANCY-DAYS            PIC S9(05) COMP-3 VALUE 365.
       01  WS-REJ-VALUE                PIC X(30).
       01  WS-REASON-TEXT              PIC X(30).
      *    VALID US STATE CODES (50 STATES + DC), SEARCHED IN 2300-
       01  WS-STATE-TABLE-DATA.
           05  FILLER  PIC X(20) VALUE 'ALAKAZARCACOCTDEDCFL'.
           05  FILLER  PIC X(20) VALUE 'GAHIIDILINIAKSKYLAME'.
           05  FILLER  PIC X(20) VALUE 'MDMAMIMNMSMOMTNENVNH'.
           05  FILLER  PIC X(20) VALUE 'NJNMNYNCNDOHOKORPARI'.
           05  FILLER  PIC X(20) VALUE 'SCSDTNTXUTVTVAWAWVWI'.
           05  FILLER  PIC X(02) VALUE 'WY'.
       01  WS-STATE-TABLE REDEFINES WS-STATE-TABLE-DATA.
           05  WS-STATE-CODE           PIC X(02) OCCURS 51 TIMES
                                       INDEXED BY ST-IDX.

       PROCEDURE DIVISION.
       0000-MAIN.
           PERFORM 1000-INIT
           PERFORM 2000-PROCESS-ACCOUNT
               UNTIL WS-EOF
           PERFORM 9000-TERM
           MOVE WS-RETURN-CODE TO RETURN-CODE
           GOBACK.

       1000-INIT.
           MOVE FUNCTION CURRENT-DATE(1:8) TO WS-RUN-DATE
           OPEN INPUT  ACCT-MASTER
                OUTPUT ACCT-VALID-OUT
                       REJECT-FILE
           IF WS-MAST-STATUS NOT= '00'
               DISPLAY 'ACCTVAL: OPEN ACCTMAST FAILED, STATUS '
                       WS-MAST-STATUS
               MOVE 16 TO WS-RETURN-CODE
               PERFORM 9900-ABEND
           END-IF
           INITIALIZE WS-COUNTERS
           PERFORM 1100-READ-MASTER.

       1100-READ-MASTER.
           READ ACCT-MASTER
               AT END
                   SET WS-EOF TO TRUE
               NOT AT END
                   ADD 1 TO WS-RECORDS-READ
           END-READ.

       2000-PROCESS-ACCOUNT.
           SET WS-RECORD-VALID TO TRUE
           MOVE SPACES TO WS-REASON-CODE WS-REJ-VALUE
           PERFORM 2100-EDIT-TYPE-STATUS
           IF WS-RECORD-VALID
               PERFORM 2200-EDIT-DATES
           END-IF
           IF WS-RECORD-VALID
               PERFORM 2300-EDIT-ADDRESS
           END-IF
           IF WS-RECORD-VALID
               PERFORM 2400-EDIT-BALANCES
           END-IF
           IF WS-RECORD-VALID
               PERFORM 2500-CHECK-DORMANCY
               WRITE VALID-OUT-REC FROM ACCT-MASTER-REC
               ADD 1 TO WS-RECORDS-WRITTEN
           ELSE
               PERFORM 8000-WRITE-REJECT
           END-IF
           PERFORM 1100-READ-MASTER.

      *----------------------------------------------------------------*
      * TYPE AND STATUS MUST BE KNOWN CODES. A CD MUST HAVE A TERM OF  *
      * 3 TO 60 MONTHS. CLOSED OR CHARGED-OFF ACCOUNTS NEED A CLOSE    *
      * DATE. THE FIRST FAILING EDIT WINS.                             *
      *----------------------------------------------------------------*
       2100-EDIT-TYPE-STATUS.
           EVALUATE TRUE
               WHEN NOT ACCT-TYPE-VALID
                   MOVE 'R01' TO WS-REASON-CODE
                   MOVE ACCT-TYPE TO WS-REJ-VALUE
               WHEN ACCT-CD AND (ACCT-CD-TERM-MONTHS < 3 OR > 60)
                   MOVE 'R01' TO WS-REASON-CODE
                   MOVE ACCT-CD-TERM-MONTHS TO WS-REJ-VALUE
               WHEN ACCT-ACTIVE OR ACCT-DORMANT OR ACCT-FROZEN
                   CONTINUE
               WHEN (ACCT-CLOSED OR ACCT-CHARGED-OFF)
                    AND ACCT-CLOSE-DATE NOT= ZERO
                   CONTINUE
               WHEN OTHER
                   MOVE 'R02' TO WS-REASON-CODE
                   MOVE ACCT-STATUS TO WS-REJ-VALUE
           END-EVALUATE
           IF WS-REASON-CODE NOT= SPACES
               SET WS-RECORD-INVALID TO TRUE
           END-IF.

      *    THE OPEN DATE MUST BE A REAL CALENDAR DATE AND NOT IN THE
      *    FUTURE (CALENDAR RULES LIVE IN DATEUTIL).
       2200-EDIT-DATES.
           SET WS-FN-VALIDATE TO TRUE
           MOVE ACCT-OPEN-DATE TO WS-DATE-1
           CALL 'DATEUTIL' USING WS-DATE-PARMS
           EVALUATE TRUE
               WHEN NOT WS-DATE-OK
                   MOVE 'R03' TO WS-REASON-CODE
                   MOVE ACCT-OPEN-DATE TO WS-REJ-VALUE
                   SET WS-RECORD-INVALID TO TRUE
               WHEN ACCT-OPEN-DATE > WS-RUN-DATE-N
                   MOVE 'R04' TO WS-REASON-CODE
                   MOVE ACCT-OPEN-DATE TO WS-REJ-VALUE
                   SET WS-RECORD-INVALID TO TRUE
           END-EVALUATE.

      *    STATE MUST BE A US STATE OR DC; ZIP MUST BE 5 DIGITS, NOT
      *    ALL ZERO, WITH AN OPTIONAL NUMERIC ZIP+4.
       2300-EDIT-ADDRESS.
           SET ST-IDX TO 1
           SEARCH WS-STATE-CODE
               AT END
                   MOVE 'R05' TO WS-REASON-CODE
                   MOVE ACCT-STATE TO WS-REJ-VALUE
                   SET WS-RECORD-INVALID TO TRUE
               WHEN WS-STATE-CODE (ST-IDX) = ACCT-STATE
                   CONTINUE
           END-SEARCH
           IF WS-RECORD-VALID
               IF ACCT-ZIP5 NOT NUMERIC OR ACCT-ZIP5 = '00000'
                  OR (ACCT-ZIP4 NOT= SPACES AND ACCT-ZIP4 NOT NUMERIC)
                   MOVE 'R06' TO WS-REASON-CODE
                   MOVE ACCT-ZIP TO WS-REJ-VALUE
                   SET WS-RECORD-INVALID TO TRUE
               END-IF
           END-IF
           IF WS-RECORD-VALID AND ACCT-CUST-NAME = SPACES
               MOVE 'R09' TO WS-REASON-CODE
               MOVE ACCT-CUST-ID TO WS-REJ-VALUE
               SET WS-RECORD-INVALID TO TRUE
           END-IF.

      *    A CLOSED ACCOUNT MUST HAVE A ZERO BALANCE AND AN OVERDRAWN
      *    ACCOUNT MAY NOT GO PAST ITS OVERDRAFT LIMIT. LOAN BALANCES
      *    ARE EDITED BY THE LOAN SYSTEM, NOT HERE.
       2400-EDIT-BALANCES.
           IF ACCT-LOAN
               CONTINUE
           ELSE
               IF ACCT-CLOSED AND ACCT-BALANCE NOT= ZERO
                   MOVE 'R07' TO WS-REASON-CODE
                   MOVE ACCT-NUMBER TO WS-REJ-VALUE
                   SET WS-RECORD-INVALID TO TRUE
               ELSE
                   IF ACCT-BALANCE < ZERO
                      AND ACCT-BALANCE + ACCT-OD-LIMIT < ZERO
                       MOVE 'R08' TO WS-REASON-CODE
                       MOVE ACCT-NUMBER TO WS-REJ-VALUE
                       SET WS-RECORD-INVALID TO TRUE
                   END-IF
               END-IF
           END-IF.

      *    REG CHANGE 03-07: AN ACTIVE SAVINGS OR CHECKING ACCOUNT WITH
      *    NO CUSTOMER ACTIVITY FOR WS-DORMANCY-DAYS BECOMES DORMANT.
       2500-CHECK-DORMANCY.
           IF ACCT-ACTIVE AND (ACCT-SAVINGS OR ACCT-CHECKING)
               SET WS-FN-DAYS-BETWEEN TO TRUE
               MOVE ACCT-LAST-ACTIVITY-DATE TO WS-DATE-1
               MOVE WS-RUN-DATE-N TO WS-DATE-2
               CALL 'DATEUTIL' USING WS-DATE-PARMS
               IF WS-DATE-OK AND WS-DAY-COUNT >= WS-DORMANCY-DAYS
                   SET ACCT-DORMANT TO TRUE
                   ADD 1 TO WS-DORMANT-COUNT
               END-IF
           END-IF.

       8000-WRITE-REJECT.
           MOVE SPACES TO REJECT-REC
           MOVE ACCT-NUMBER TO REJ-ACCT-NUMBER
           MOVE WS-REASON-CODE TO REJ-REASON-CODE
           PERFORM 8100-REASON-TEXT
           MOVE WS-REASON-TEXT TO REJ-REASON-TEXT
           MOVE WS-REJ-VALUE TO REJ-FIELD-VALUE
           MOVE WS-RUN-DATE-N TO REJ-RUN-DATE
           WRITE REJECT-REC
           ADD 1 TO WS-RECORDS-REJECTED
           MOVE WS-REASON-CODE(2:2) TO WS-REASON-IDX
           ADD 1 TO WS-REASON-CNT (WS-REASON-IDX)
           IF WS-RETURN-CODE < 4
               MOVE 4 TO WS-RETURN-CODE
           END-IF.

       8100-REASON-TEXT.
           EVALUATE WS-REASON-CODE
               WHEN 'R01'  MOVE 'INVALID ACCOUNT TYPE OR TERM'
                                                   TO WS-REASON-TEXT
               WHEN 'R02'  MOVE 'INVALID ACCOUNT STATUS'
                                                   TO WS-REASON-TEXT
               WHEN 'R03'  MOVE 'INVALID OPEN DATE'
                                                   TO WS-REASON-TEXT
               WHEN 'R04'  MOVE 'OPEN DATE IN THE FUTURE'
                                                   TO WS-REASON-TEXT
               WHEN 'R05'  MOVE 'INVALID STATE CODE'
                                                   TO WS-REASON-TEXT
               WHEN 'R06'  MOVE 'INVALID ZIP CODE'
                                                   TO WS-REASON-TEXT
               WHEN 'R07'  MOVE 'CLOSED ACCOUNT HAS A BALANCE'
                                                   TO WS-REASON-TEXT
               WHEN 'R08'  MOVE 'OVERDRAWN PAST OVERDRAFT LIMIT'
                                                   TO WS-REASON-TEXT
               WHEN 'R09'  MOVE 'CUSTOMER NAME MISSING'
                                                   TO WS-REASON-TEXT
               WHEN OTHER  MOVE 'UNKNOWN REASON'   TO WS-REASON-TEXT
           END-EVALUATE.

       9000-TERM.
           CLOSE ACCT-MASTER ACCT-VALID-OUT REJECT-FILE
           MOVE WS-RECORDS-READ TO WS-DISPLAY-COUNT
           DISPLAY 'ACCTVAL: RECORDS READ      ' WS-DISPLAY-COUNT
           MOVE WS-RECORDS-WRITTEN TO WS-DISPLAY-COUNT
           DISPLAY 'ACCTVAL: RECORDS VALID     ' WS-DISPLAY-COUNT
           MOVE WS-RECORDS-REJECTED TO WS-DISPLAY-COUNT
           DISPLAY 'ACCTVAL: RECORDS REJECTED  ' WS-DISPLAY-COUNT
           MOVE WS-DORMANT-COUNT TO WS-DISPLAY-COUNT
           DISPLAY 'ACCTVAL: MADE DORMANT      ' WS-DISPLAY-COUNT
           PERFORM VARYING WS-SUB FROM 1 BY 1 UNTIL WS-SUB > 9
               IF WS-REASON-CNT (WS-SUB) > ZERO
                   MOVE WS-REASON-CNT (WS-SUB) TO WS-DISPLAY-COUNT
                   DISPLAY 'ACCTVAL:   REASON R0' WS-SUB(2:1)
                           '         ' WS-DISPLAY-COUNT
               END-IF
           END-PERFORM.

       9900-ABEND.
           DISPLAY 'ACCTVAL: ABENDING, RETURN CODE ' WS-RETURN-CODE
           MOVE 1016 TO WS-ABEND-CODE
           CALL 'CEE3ABD' USING WS-ABEND-CODE WS-ABEND-TIMING.
