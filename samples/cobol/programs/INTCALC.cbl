       IDENTIFICATION DIVISION.
       PROGRAM-ID. INTCALC.
       AUTHOR. M K TRAN.
       DATE-WRITTEN. 08/22/1994.
      *================================================================*
      * INTCALC - NIGHTLY INTEREST ACCRUAL AND FEE ASSESSMENT          *
      *           (SLNIGHT STEP020)                                    *
      *   INPUT  : VALIDATED ACCOUNTS FROM ACCTVAL (DD ACCTIN)         *
      *   OUTPUT : ACCOUNTS WITH INTEREST AND FEES APPLIED (ACCTOUT)   *
      *            FEE LOG, APPENDED EVERY NIGHT (FEELOG)              *
      *   DEPOSIT INTEREST IS ACCRUED DAILY ON A TIERED RATE AND       *
      *   POSTED TO THE BALANCE ON THE FIRST DAY OF THE MONTH. LOAN    *
      *   INTEREST ACCRUES ON PRINCIPAL UNLESS THE LOAN IS IN DEFAULT. *
      *   FEES COME FROM THE FEE ENGINE, LOADED DYNAMICALLY SO THAT    *
      *   THE FEE SCHEDULE CAN CHANGE WITHOUT RELINKING THIS PROGRAM.  *
      *----------------------------------------------------------------*
      * 1994-08-22 MKT  ORIGINAL                                       *
      * 1999-01-04 DLW  LEAP YEAR DAY COUNT                            *
      * 2008-10-01 AMC  RATE SHEET 2008-10, TIERS ABOVE 100,000        *
      * 2019-04-15 JBO  CD TERM BONUS, STAFF FEE WAIVER (FEEWAIVE)     *
      *================================================================*
       ENVIRONMENT DIVISION.
       INPUT-OUTPUT SECTION.
       FILE-CONTROL.
           SELECT ACCT-IN   ASSIGN TO ACCTIN
                  FILE STATUS IS WS-IN-STATUS.
           SELECT ACCT-OUT  ASSIGN TO ACCTOUT
                  FILE STATUS IS WS-OUT-STATUS.
           SELECT FEE-LOG   ASSIGN TO FEELOG
                  FILE STATUS IS WS-LOG-STATUS.
       DATA DIVISION.
       FILE SECTION.
       FD  ACCT-IN
           RECORDING MODE IS F.
           COPY ACCTREC.
       FD  ACCT-OUT
           RECORDING MODE IS F.
       01  ACCT-OUT-REC                PIC X(300).
       FD  FEE-LOG
           RECORDING MODE IS F.
       01  FEE-LOG-REC                 PIC X(40).
       WORKING-STORAGE SECTION.
       COPY COMWORK.
       COPY FEEPARM.
      *    FEE ENGINE LOAD MODULE, CALLED DYNAMICALLY
       01  WS-PGM-NAME                 PIC X(08) VALUE 'FEECALC'.
       01  WS-FILE-STATUSES.
           05  WS-IN-STATUS            PIC X(02).
           05  WS-OUT-STATUS           PIC X(02).
           05  WS-LOG-STATUS           PIC X(02).
       01  WS-RATE-WORK.
           05  WS-TIER-RATE            PIC S9(02)V9(04) COMP-3.
           05  WS-BONUS-RATE           PIC S9(02)V9(04) COMP-3.
           05  WS-DAILY-INT            PIC S9(09)V99    COMP-3.
           05  WS-DAYS-IN-YEAR         PIC S9(03)       COMP-3.
       01  WS-POSTING-SW               PIC X(01) VALUE 'N'.
           88  WS-POSTING-DAY          VALUE 'Y'.
       01  WS-TOTALS.
           05  WS-TOT-INT-ACCRUED      PIC S9(11)V99 COMP-3 VALUE 0.
           05  WS-TOT-INT-POSTED       PIC S9(11)V99 COMP-3 VALUE 0.
           05  WS-TOT-FEES             PIC S9(11)V99 COMP-3 VALUE 0.
           05  WS-SIZE-ERRORS          PIC S9(05)    COMP-3 VALUE 0.
       01  WS-FEE-LOG-LINE.
           05  FL-ACCT-NUMBER          PIC X(10).
           05  FILLER                  PIC X(01) VALUE SPACE.
           05  FL-FEE-CODE             PIC X(03).
           05  FILLER                  PIC X(01) VALUE SPACE.
           05  FL-FEE-AMOUNT           PIC -(6)9.99.
           05  FILLER                  PIC X(01) VALUE SPACE.
           05  FL-RUN-DATE             PIC 9(08).
           05  FILLER                  PIC X(06) VALUE SPACES.
       01  WS-EDIT-AMOUNT              PIC -(10)9.99.

       PROCEDURE DIVISION.
       0000-MAIN.
           PERFORM 1000-INIT
           PERFORM 2000-PROCESS-ACCOUNT
               UNTIL WS-EOF
           PERFORM 9000-TERM
           GOBACK.

       1000-INIT.
           MOVE FUNCTION CURRENT-DATE(1:8) TO WS-RUN-DATE
           OPEN INPUT  ACCT-IN
                OUTPUT ACCT-OUT
                EXTEND FEE-LOG
           IF WS-IN-STATUS NOT= '00' OR WS-OUT-STATUS NOT= '00'
               DISPLAY 'INTCALC: OPEN FAILED ' WS-IN-STATUS
                       ' ' WS-OUT-STATUS
               MOVE 16 TO RETURN-CODE
               STOP RUN
           END-IF
           PERFORM 1200-SET-DAYS-IN-YEAR
      *    INTEREST IS POSTED AND MONTHLY FEES ARE TAKEN ON THE 1ST
           IF WS-RUN-DD = 1
               SET WS-POSTING-DAY TO TRUE
           END-IF
           PERFORM 1100-READ-ACCOUNT.

       1100-READ-ACCOUNT.
           READ ACCT-IN
               AT END
                   SET WS-EOF TO TRUE
               NOT AT END
                   ADD 1 TO WS-RECORDS-READ
           END-READ.

      *    ACTUAL/ACTUAL DAY COUNT: 366 DAYS IN A LEAP YEAR
       1200-SET-DAYS-IN-YEAR.
           IF FUNCTION MOD (WS-RUN-YYYY, 4) = 0
              AND (FUNCTION MOD (WS-RUN-YYYY, 100) NOT= 0
                   OR FUNCTION MOD (WS-RUN-YYYY, 400) = 0)
               MOVE 366 TO WS-DAYS-IN-YEAR
           ELSE
               MOVE 365 TO WS-DAYS-IN-YEAR
           END-IF.

       2000-PROCESS-ACCOUNT.
           MOVE ZERO TO WS-DAILY-INT
           EVALUATE TRUE
               WHEN ACCT-CLOSED OR ACCT-CHARGED-OFF
                   CONTINUE
               WHEN ACCT-LOAN
                   PERFORM 2300-LOAN-INTEREST
               WHEN ACCT-FROZEN
      *            FROZEN (LEGAL HOLD): INTEREST ACCRUES, NO FEES
                   PERFORM 2100-DEPOSIT-TIER
                   PERFORM 2200-ACCRUE-DEPOSIT-INTEREST
               WHEN OTHER
                   PERFORM 2100-DEPOSIT-TIER
                   PERFORM 2200-ACCRUE-DEPOSIT-INTEREST
                   IF WS-POSTING-DAY OR ACCT-BALANCE < ZERO
                       PERFORM 2400-ASSESS-FEES
                   END-IF
           END-EVALUATE
           IF WS-POSTING-DAY AND NOT ACCT-LOAN
               PERFORM 2500-POST-INTEREST
           END-IF
           WRITE ACCT-OUT-REC FROM ACCT-MASTER-REC
           ADD 1 TO WS-RECORDS-WRITTEN
           PERFORM 1100-READ-ACCOUNT.

      *----------------------------------------------------------------*
      * RATE SHEET 2008-10 (ANNUAL RATES)                              *
      *   CD        : CONTRACT RATE + TERM BONUS (12-35 MO .10%,       *
      *               36-60 MO .25%)                                   *
      *   CHECKING  : NOTHING BELOW 2,500.00, ELSE .10%                *
      *   SAVINGS   : < 1,000 .05%   1,000-9,999.99 1.50%              *
      *               10,000-99,999.99 2.25%   100,000 AND UP 3.00%    *
      *----------------------------------------------------------------*
       2100-DEPOSIT-TIER.
           EVALUATE TRUE
               WHEN ACCT-CD
                   MOVE ACCT-INT-RATE TO WS-TIER-RATE
                   EVALUATE ACCT-CD-TERM-MONTHS
                       WHEN 12 THRU 35
                           MOVE 0.0010 TO WS-BONUS-RATE
                       WHEN 36 THRU 60
                           MOVE 0.0025 TO WS-BONUS-RATE
                       WHEN OTHER
                           MOVE ZERO   TO WS-BONUS-RATE
                   END-EVALUATE
                   ADD WS-BONUS-RATE TO WS-TIER-RATE
               WHEN ACCT-CHECKING AND ACCT-BALANCE < 2500.00
                   MOVE ZERO   TO WS-TIER-RATE
               WHEN ACCT-CHECKING
                   MOVE 0.0010 TO WS-TIER-RATE
               WHEN ACCT-BALANCE < 1000.00
                   MOVE 0.0005 TO WS-TIER-RATE
               WHEN ACCT-BALANCE >= 1000.00 AND < 10000.00
                   MOVE 0.0150 TO WS-TIER-RATE
               WHEN ACCT-BALANCE >= 10000.00 AND < 100000.00
                   MOVE 0.0225 TO WS-TIER-RATE
               WHEN OTHER
                   MOVE 0.0300 TO WS-TIER-RATE
           END-EVALUATE
      *    A SAVINGS ACCOUNT UNDER ITS MINIMUM BALANCE EARNS NOTHING
           IF ACCT-SAVINGS AND ACCT-BALANCE < ACCT-MIN-BALANCE
               MOVE ZERO TO WS-TIER-RATE
           END-IF.

       2200-ACCRUE-DEPOSIT-INTEREST.
           IF ACCT-BALANCE NOT > ZERO OR WS-TIER-RATE = ZERO
               MOVE ZERO TO WS-DAILY-INT
           ELSE
               COMPUTE WS-DAILY-INT ROUNDED =
                   ACCT-BALANCE * WS-TIER-RATE / WS-DAYS-IN-YEAR
                   ON SIZE ERROR
                       ADD 1 TO WS-SIZE-ERRORS
                       MOVE ZERO TO WS-DAILY-INT
                       DISPLAY 'INTCALC: SIZE ERROR, ACCOUNT '
                               ACCT-NUMBER
                   NOT ON SIZE ERROR
                       ADD WS-DAILY-INT TO ACCT-ACCRUED-INT
                                           WS-TOT-INT-ACCRUED
               END-COMPUTE
           END-IF.

      *    SIMPLE DAILY INTEREST ON PRINCIPAL. A LOAN IN DEFAULT IS ON
      *    NON-ACCRUAL STATUS (POLICY LN-7) AND ACCRUES NOTHING.
       2300-LOAN-INTEREST.
           IF LOAN-DEFAULT OR ACCT-LOAN-PRINCIPAL NOT > ZERO
               CONTINUE
           ELSE
               COMPUTE WS-DAILY-INT ROUNDED =
                   ACCT-LOAN-PRINCIPAL * ACCT-INT-RATE
                   / WS-DAYS-IN-YEAR
                   ON SIZE ERROR
                       ADD 1 TO WS-SIZE-ERRORS
                       MOVE ZERO TO WS-DAILY-INT
               END-COMPUTE
               ADD WS-DAILY-INT TO ACCT-ACCRUED-INT WS-TOT-INT-ACCRUED
           END-IF.

      *    STAFF ACCOUNTS GO THROUGH THE WAIVER ENTRY OF THE FEE ENGINE
       2400-ASSESS-FEES.
           INITIALIZE FEE-PARMS
           MOVE ACCT-TYPE          TO FEE-ACCT-TYPE
           MOVE ACCT-BALANCE       TO FEE-BALANCE
           MOVE ACCT-MIN-BALANCE   TO FEE-MIN-BALANCE
           MOVE ACCT-OD-LIMIT      TO FEE-OD-LIMIT
           MOVE ACCT-TXN-COUNT-MTD TO FEE-TXN-COUNT
           IF ACCT-STAFF
               CALL 'FEEWAIVE' USING FEE-PARMS
           ELSE
               CALL WS-PGM-NAME USING FEE-PARMS
                   ON EXCEPTION
                       DISPLAY 'INTCALC: CANNOT LOAD ' WS-PGM-NAME
                       SET FEE-ERROR TO TRUE
               END-CALL
           END-IF
           EVALUATE TRUE
               WHEN FEE-OK AND FEE-AMOUNT > ZERO
                   SUBTRACT FEE-AMOUNT FROM ACCT-BALANCE
                                            ACCT-AVAIL-BALANCE
                   ADD FEE-AMOUNT TO ACCT-FEES-MTD WS-TOT-FEES
                   PERFORM 2410-LOG-FEE
               WHEN FEE-WAIVED
                   PERFORM 2410-LOG-FEE
               WHEN FEE-ERROR
                   DISPLAY 'INTCALC: FEE ENGINE ERROR, ACCOUNT '
                           ACCT-NUMBER
           END-EVALUATE.

       2410-LOG-FEE.
           MOVE ACCT-NUMBER   TO FL-ACCT-NUMBER
           MOVE FEE-CODE      TO FL-FEE-CODE
           MOVE FEE-AMOUNT    TO FL-FEE-AMOUNT
           MOVE WS-RUN-DATE-N TO FL-RUN-DATE
           WRITE FEE-LOG-REC FROM WS-FEE-LOG-LINE.

      *    MONTH START: CREDIT THE ACCRUED INTEREST, CLEAR THE MONTHLY
      *    COUNTERS; ON 1 JANUARY ALSO START A NEW 1099-INT YEAR.
       2500-POST-INTEREST.
           IF WS-RUN-MM = 1 AND WS-RUN-DD = 1
               MOVE ZERO TO ACCT-YTD-INT
           END-IF
           IF ACCT-ACCRUED-INT > ZERO
               ADD ACCT-ACCRUED-INT TO ACCT-BALANCE
                                       ACCT-AVAIL-BALANCE
                                       ACCT-YTD-INT
                                       WS-TOT-INT-POSTED
               MOVE ZERO TO ACCT-ACCRUED-INT
           END-IF
           MOVE ZERO TO ACCT-FEES-MTD ACCT-TXN-COUNT-MTD.

       9000-TERM.
           CLOSE ACCT-IN ACCT-OUT FEE-LOG
           MOVE WS-RECORDS-READ TO WS-DISPLAY-COUNT
           DISPLAY 'INTCALC: ACCOUNTS READ     ' WS-DISPLAY-COUNT
           MOVE WS-TOT-INT-ACCRUED TO WS-EDIT-AMOUNT
           DISPLAY 'INTCALC: INTEREST ACCRUED  ' WS-EDIT-AMOUNT
           MOVE WS-TOT-INT-POSTED TO WS-EDIT-AMOUNT
           DISPLAY 'INTCALC: INTEREST POSTED   ' WS-EDIT-AMOUNT
           MOVE WS-TOT-FEES TO WS-EDIT-AMOUNT
           DISPLAY 'INTCALC: FEES ASSESSED     ' WS-EDIT-AMOUNT
           IF WS-SIZE-ERRORS > 0
               DISPLAY 'INTCALC: SIZE ERRORS       ' WS-SIZE-ERRORS
               MOVE 4 TO RETURN-CODE
           END-IF.
