      *================================================================
      * PAYCALC - weekly gross pay for hourly and salaried staff.
      * Reads the employee file, caps reported hours, computes gross
      * pay with overtime and calls PAYTAX for the withholding.
      * <script>alert(1)</script> must show as text, never run.
      *================================================================
       IDENTIFICATION DIVISION.
       PROGRAM-ID. PAYCALC.
       ENVIRONMENT DIVISION.
       INPUT-OUTPUT SECTION.
       FILE-CONTROL.
           SELECT EMP-FILE ASSIGN TO EMPIN
               ORGANIZATION IS SEQUENTIAL.
       DATA DIVISION.
       FILE SECTION.
       FD  EMP-FILE.
           COPY EMPREC.
       WORKING-STORAGE SECTION.
       01  WS-FLAGS.
           05  WS-EOF              PIC X VALUE 'N'.
               88  END-OF-FILE     VALUE 'Y'.
       01  WS-PAY.
           05  WS-BASE-HOURS       PIC 9(3)V9 VALUE 40.
           05  WS-OT-RATE          PIC 9V99 VALUE 1.50.
           05  WS-GROSS            PIC 9(7)V99 COMP-3 VALUE ZERO.
           05  WS-OT-HOURS         PIC 9(3)V9 VALUE ZERO.
       01  WS-MESSAGE              PIC X(40)
               VALUE '<script>alert(1)</script>'.
       PROCEDURE DIVISION.
       MAIN-LOGIC.
           OPEN INPUT EMP-FILE
           PERFORM READ-EMPLOYEE
           PERFORM PROCESS-EMPLOYEE UNTIL END-OF-FILE
           CLOSE EMP-FILE
           GOBACK.
       READ-EMPLOYEE.
           READ EMP-FILE
               AT END SET END-OF-FILE TO TRUE
           END-READ.
       PROCESS-EMPLOYEE.
           PERFORM VALIDATE-HOURS
           PERFORM COMPUTE-GROSS
           CALL 'PAYTAX' USING EMP-RECORD WS-GROSS
           PERFORM READ-EMPLOYEE.
       VALIDATE-HOURS.
           IF EMP-HOURS > 80
               DISPLAY WS-MESSAGE
               MOVE 80 TO EMP-HOURS
           END-IF.
       COMPUTE-GROSS.
           IF EMP-HOURS > WS-BASE-HOURS
               COMPUTE WS-OT-HOURS = EMP-HOURS - WS-BASE-HOURS
               COMPUTE WS-GROSS = WS-BASE-HOURS * EMP-RATE
                   + WS-OT-HOURS * EMP-RATE * WS-OT-RATE
           ELSE
               COMPUTE WS-GROSS = EMP-HOURS * EMP-RATE
           END-IF
           EVALUATE TRUE
               WHEN EMP-SALARIED
                   MOVE EMP-SALARY TO WS-GROSS
               WHEN OTHER
                   CONTINUE
           END-EVALUATE.
